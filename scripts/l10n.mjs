// Checks the translations: every string the code passes to vscode.l10n.t and every %key% of the
// manifest has a Japanese translation, and no translation is left that nothing uses.
//   node scripts/l10n.mjs           check; exits 1 and lists the problems
//   node scripts/l10n.mjs --list    print the code's strings as JSON (English → English), for translating
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { root } from './tools.mjs';

const readJson = (path) => JSON.parse(readFileSync(join(root, path), 'utf8'));

/** The first argument of every `vscode.l10n.t(…)` call in src/, which must be a string literal. */
export function codeStrings() {
  const strings = new Set();
  const problems = [];
  const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
  for (const file of files) {
    const text = readFileSync(join(root, 'src', file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      if (ts.isCallExpression(node) && node.expression.getText(source).replace(/\s/g, '') === 'vscode.l10n.t') {
        const [first] = node.arguments;
        if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) strings.add(first.text);
        else problems.push(`src/${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: vscode.l10n.t needs a string literal, so it can be translated`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { strings: [...strings].sort(), problems };
}

/** The %key% placeholders of package.json. */
function manifestKeys() {
  const keys = new Set();
  for (const match of readFileSync(join(root, 'package.json'), 'utf8').matchAll(/"%([^%"]+)%"/g)) keys.add(match[1]);
  return [...keys].sort();
}

export function checkTranslations() {
  const { strings, problems } = codeStrings();
  const bundle = readJson('l10n/bundle.l10n.ja.json');
  const nls = readJson('package.nls.json');
  const nlsJa = readJson('package.nls.ja.json');
  const keys = manifestKeys();
  const missing = (list, table, where) => list.filter((key) => typeof table[key] !== 'string' || !table[key].trim()).map((key) => `no ${where} for "${key}"`);
  const unused = (table, list, where) => Object.keys(table).filter((key) => !list.includes(key)).map((key) => `unused ${where} "${key}"`);
  problems.push(
    ...missing(strings, bundle, 'Japanese translation in l10n/bundle.l10n.ja.json'),
    ...unused(bundle, strings, 'translation in l10n/bundle.l10n.ja.json'),
    ...missing(keys, nls, 'English text in package.nls.json'),
    ...missing(keys, nlsJa, 'Japanese text in package.nls.ja.json'),
    ...unused(nls, keys, 'key in package.nls.json'),
    ...unused(nlsJa, keys, 'key in package.nls.ja.json'),
  );
  // A translation must keep every {0} placeholder of its source.
  for (const key of strings) {
    const wanted = (key.match(/\{\d+\}/g) ?? []).sort().join();
    if (typeof bundle[key] === 'string' && (bundle[key].match(/\{\d+\}/g) ?? []).sort().join() !== wanted) problems.push(`the translation of "${key}" does not keep its placeholders`);
  }
  return { problems, strings: strings.length, keys: keys.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--list')) {
    console.log(JSON.stringify(Object.fromEntries(codeStrings().strings.map((s) => [s, s])), null, 2));
  } else {
    const { problems, strings, keys } = checkTranslations();
    for (const problem of problems) console.log(`  ✘ ${problem}`);
    console.log(`${strings} strings in the code, ${keys} in the manifest: ${problems.length ? `${problems.length} problems` : 'every one translated, none unused'}`);
    process.exit(problems.length ? 1 : 0);
  }
}
