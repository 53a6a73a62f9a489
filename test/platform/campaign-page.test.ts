// @vitest-environment node
// The campaign page honours `locale` (en, fr, de; others fall back to the market's) and says
// what the friend gets in the third person. Needs the build (npm test builds first).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPlatform, type Platform } from '../../examples/platform/platform.js';

let platform: Platform;
beforeAll(async () => {
  platform = await createPlatform();
});
afterAll(() => platform.close());

const campaign = async (query: string) => (await fetch(`${platform.url}/iaf/refer-a-friend?market=demo${query}`)).text();
const heading = (page: string) => /<h1>(.*?)<\/h1>/.exec(page)?.[1];

describe('the campaign page', () => {
  test('tells the referrer what their friend gets: "Your friend gets £10 off their first order."', async () => {
    expect(await campaign('&locale=en')).toContain('<li>Your friend gets £10 off their first order.</li>');
  });

  test.each([
    ['en', 'en', 'Give £10, get £10', 'Get my link', 'Your friend gets £10 off their first order.'],
    ['fr', 'fr', 'Offrez 10 £, recevez 10 £', 'Obtenir mon lien', 'Votre ami reçoit 10 £ de réduction sur sa première commande.'],
    ['de', 'de', '10 £ schenken, 10 £ bekommen', 'Meinen Link holen', 'Ihr Freund erhält 10 £ Rabatt auf die erste Bestellung.'],
    ['fr-CA', 'fr', 'Offrez 10 £, recevez 10 £', 'Obtenir mon lien', 'Votre ami reçoit'],
    ['xx', 'en', 'Give £10, get £10', 'Get my link', 'Your friend gets'],
  ])('locale=%s is served in %s', async (requested, served, title, button, step) => {
    const page = await campaign(`&locale=${requested}`);
    expect(page).toContain(`<html lang="${served}">`);
    expect(heading(page)).toBe(title);
    expect(page).toContain(`<button type="submit">${button}</button>`);
    expect(page).toContain(step);
    expect(page).toContain(`locale ${served}</footer>`);
  });

  test("the page's script gets its messages in the locale", async () => {
    expect(await campaign('&locale=de')).toContain('data-text-signing-in="Sie werden angemeldet…"');
  });
});
