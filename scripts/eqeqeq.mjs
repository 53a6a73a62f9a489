#!/usr/bin/env node
// Rewrites `==` / `!=` to `===` / `!==` wherever the type checker proves it changes nothing,
// and lists the rest (file:line, both types) for a person to decide. A comparison with the
// `null` literal is left alone: eslint's eqeqeq runs with { null: 'ignore' }.
//
//   node scripts/eqeqeq.mjs [--write] [--project tsconfig.json ...] [path ...]
//
// Without --write it only reports. Paths (files or directories) limit the files rewritten;
// by default every file of the projects. Projects default to tsconfig.json and tsconfig.js.json.
//
// `a == b` and `a === b` agree when, for every pair of the types either side can hold, no
// coercion happens: both the same primitive kind (string, number, bigint, boolean), both
// objects (identity either way), or one side null/undefined and the other side a non-nullish
// value (false either way). `any`, `unknown`, null against undefined, an object against a
// primitive and two different primitive kinds are unproven and reported instead.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const write = args.includes('--write');
const projects = [];
const paths = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--write') continue;
  if (args[i] === '--project') projects.push(args[++i]);
  else paths.push(path.resolve(args[i]));
}
if (!projects.length) projects.push('tsconfig.json', 'tsconfig.js.json');

const wanted = (file) => !file.includes('/node_modules/') && (!paths.length || paths.some((p) => file === p || file.startsWith(p + path.sep)));

/** The kind of one (non-union) type, or null when nothing is known. */
function kindOf(type) {
  const f = type.flags;
  if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return null;
  if (f & ts.TypeFlags.Null) return 'null';
  if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return 'undefined';
  if (f & ts.TypeFlags.StringLike) return 'string';
  if (f & ts.TypeFlags.NumberLike) return 'number';
  if (f & ts.TypeFlags.BigIntLike) return 'bigint';
  if (f & ts.TypeFlags.BooleanLike) return 'boolean';
  if (f & ts.TypeFlags.ESSymbolLike) return 'symbol';
  if (f & (ts.TypeFlags.Object | ts.TypeFlags.NonPrimitive)) return 'object';
  return null; // type parameters, intersections, template-less oddities: unproven
}

/** Every kind a type can hold, or null when one of them is unknown. */
function kindsOf(type) {
  if (type.flags & ts.TypeFlags.Intersection) {
    // string & { brand } and the like: the primitive member decides.
    const kinds = new Set(type.types.map(kindOf).filter((k) => k && k !== 'object'));
    return kinds.size === 1 ? kinds : null;
  }
  const parts = type.isUnion() ? type.types : [type];
  const kinds = new Set();
  for (const part of parts) {
    const kind = part.flags & ts.TypeFlags.Intersection ? [...(kindsOf(part) ?? [null])][0] : kindOf(part);
    if (!kind) return null;
    kinds.add(kind);
  }
  return kinds;
}

const nullish = (kind) => kind === 'null' || kind === 'undefined';
function samePair(a, b) {
  if (nullish(a) || nullish(b)) return a === b || !(nullish(a) && nullish(b));
  return a === b;
}

let changed = 0;
const unproven = [];
const seen = new Set();
for (const project of projects) {
  const config = ts.getParsedCommandLineOfConfigFile(
    project,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => console.error(ts.flattenDiagnosticMessageText(d.messageText, '\n')) },
  );
  if (!config) process.exit(1);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const checker = program.getTypeChecker();
  for (const source of program.getSourceFiles()) {
    const file = path.resolve(source.fileName);
    if (seen.has(file) || !wanted(file) || !config.fileNames.map((f) => path.resolve(f)).includes(file)) continue;
    seen.add(file);
    const edits = [];
    const visit = (node) => {
      if (ts.isBinaryExpression(node)) {
        const op = node.operatorToken.kind;
        if (op === ts.SyntaxKind.EqualsEqualsToken || op === ts.SyntaxKind.ExclamationEqualsToken) {
          const isNull = (n) => n.kind === ts.SyntaxKind.NullKeyword;
          if (!isNull(node.left) && !isNull(node.right)) {
            const left = kindsOf(checker.getTypeAtLocation(node.left));
            const right = kindsOf(checker.getTypeAtLocation(node.right));
            const safe = left && right && [...left].every((a) => [...right].every((b) => samePair(a, b)));
            if (safe) edits.push(node.operatorToken);
            else {
              const { line } = source.getLineAndCharacterOfPosition(node.operatorToken.getStart(source));
              unproven.push(
                `${path.relative(process.cwd(), file)}:${line + 1}: ${node.getText(source).slice(0, 100)}  [${checker.typeToString(checker.getTypeAtLocation(node.left))} ${node.operatorToken.getText(source)} ${checker.typeToString(checker.getTypeAtLocation(node.right))}]`,
              );
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    if (!edits.length) continue;
    changed += edits.length;
    if (!write) continue;
    let text = readFileSync(file, 'utf8');
    for (const token of edits.sort((a, b) => b.getStart(source) - a.getStart(source))) {
      const at = token.getStart(source);
      text = text.slice(0, at) + token.getText(source) + '=' + text.slice(token.getEnd());
    }
    writeFileSync(file, text);
  }
}
console.log(`${write ? 'rewrote' : 'would rewrite'} ${changed} comparisons in ${seen.size} files checked; ${unproven.length} unproven:`);
for (const line of unproven) console.log('  ' + line);
