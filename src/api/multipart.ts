/** The guide's multipart body: the CSV as a file field named `csv`, plus any text fields. @internal */
export function csvForm(csv: string, fields: Record<string, string> = {}, filename = 'upload.csv'): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('csv', new Blob([csv], { type: 'text/csv' }), filename);
  return form;
}
