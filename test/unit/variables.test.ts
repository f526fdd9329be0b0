import * as assert from 'node:assert/strict';
import {
  decodeJsonString,
  findVariables,
  isVariableStart,
  MAX_VARIABLE_VALUE_BYTES,
  MAX_VARIABLES,
  referencedRows,
  resolveInput,
  resolveOnce,
  withRow,
  variableAt,
  type Variable,
  type VariableResolver,
} from '../../src/core/variables';

/** Values by `kind:name`; records what was asked. */
function resolver(values: Record<string, string>): VariableResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = async ({ kind, name }: Variable) => {
    asked.push(`${kind}:${name}`);
    return values[`${kind}:${name}`];
  };
  return Object.assign(resolve, { asked });
}

describe('input variables', () => {
  it('are found with their exact place in the document and the path of their string', () => {
    const text = '{\n  "bot": {"contract": "c", "id": "b"},\n  "input": {"Login": "${secret:siteLogin}", "Rows": [{"Auth": "Bearer ${env:API_TOKEN}!"}]}\n}';
    const found = findVariables(text, ['input']);
    assert.deepEqual(
      found.map((f) => [f.variable, text.slice(f.offset, f.offset + f.length), f.path]),
      [
        [{ kind: 'secret', name: 'siteLogin' }, '${secret:siteLogin}', ['input', 'Login']],
        [{ kind: 'env', name: 'API_TOKEN' }, '${env:API_TOKEN}', ['input', 'Rows', 0, 'Auth']],
      ],
    );
  });

  it('keep their place after escapes in the same string, and through an escaped "$"', () => {
    const text = '{"a": "line\\n\\t\\"quoted\\" \\u00e9 ${prompt:Your name}", "b": "\\u0024{env:HOME}"}';
    const [first, second] = findVariables(text);
    assert.equal(text.slice(first.offset, first.offset + first.length), '${prompt:Your name}');
    assert.deepEqual(first.variable, { kind: 'prompt', name: 'Your name' });
    assert.equal(text.slice(second.offset, second.offset + second.length), String.raw`\u0024{env:HOME}`);
    assert.deepEqual(second.variable, { kind: 'env', name: 'HOME' });
  });

  it('are never property names', () => {
    assert.deepEqual(findVariables('{"${env:A}": "x"}'), []);
  });

  it('decode JSON strings with each character\'s raw offset', () => {
    const { decoded, rawOffsets } = decodeJsonString(String.raw`a\nb\u0041c`);
    assert.equal(decoded, 'a\nbAc');
    assert.deepEqual(rawOffsets, [0, 1, 3, 4, 10, 11]);
  });

  it('resolve mixed text into a new object, leaving the template as it was', async () => {
    const template = { Auth: 'Bearer ${secret:api} for ${env:USER}', List: ['${prompt:City}', 'plain'], Count: 3, Nested: { Flag: true } };
    const before = structuredClone(template);
    const result = await resolveInput(template, resolver({ 'secret:api': 'S3CR3T', 'env:USER': 'ann', 'prompt:City': 'Kyoto' }));
    assert.ok(result.ok);
    assert.deepEqual(result.input, { Auth: 'Bearer S3CR3T for ann', List: ['Kyoto', 'plain'], Count: 3, Nested: { Flag: true } });
    assert.deepEqual(template, before);
    assert.notEqual(result.input.Nested, template.Nested);
  });

  it('take "$${" as a literal "${", and a lone "$" as itself', async () => {
    const result = await resolveInput({ a: 'cost $5, literal $${env:X} and ${env:Y}' }, resolver({ 'env:Y': 'y' }));
    assert.ok(result.ok);
    assert.equal(result.input.a, 'cost $5, literal ${env:X} and y');
    assert.deepEqual(findVariables('{"a": "$${env:X}"}'), []);
    const textOnly = await resolveInput({ a: ['literal $${env:X}'] }, resolver({}));
    assert.ok(textOnly.ok);
    assert.deepEqual(textOnly.input, { a: ['literal ${env:X}'] }, 'also in an input without variables');
  });

  it('resolve in one pass: a value holding "${…}" is sent as it is', async () => {
    const resolve = resolver({ 'env:A': '${secret:stolen}', 'row:Name': '${env:HOME}' });
    const result = await resolveInput({ a: '${env:A}', b: '${row:Name}' }, resolve);
    assert.ok(result.ok);
    assert.deepEqual(result.input, { a: '${secret:stolen}', b: '${env:HOME}' });
    assert.deepEqual(resolve.asked, ['env:A', 'row:Name']);
  });

  it('refuse a malformed "${…}" at its place before asking for anything', async () => {
    const cases: [string, string, string][] = [
      ['{"input": {"a": "${secret:ok} ${oops:x}"}}', 'unknownKind', '${oops:x}'],
      ['{"input": {"a": "${env:}"}}', 'badName', '${env:}'],
      ['{"input": {"a": "${env:1ABC}"}}', 'badName', '${env:1ABC}'],
      ['{"input": {"a": "${secret:has space}"}}', 'badName', '${secret:has space}'],
      ['{"input": {"a": "${nocolon}"}}', 'unknownKind', '${nocolon}'],
      ['{"input": {"a": "x ${env:HOME"}}', 'unclosed', '${env:HOME'],
      [`{"input": {"a": "\${prompt:${'x'.repeat(101)}}"}}`, 'badName', '${prompt:'],
    ];
    for (const [text, reason, written] of cases) {
      const resolve = resolver({ 'secret:ok': 'v' });
      const result = await resolveInput(JSON.parse(text).input, resolve, { text, rootPath: ['input'] });
      assert.ok(!result.ok, text);
      assert.equal(result.problem.code, 'badVariable', text);
      assert.ok(result.problem.code === 'badVariable' && result.problem.reason === reason, text);
      assert.ok(result.problem.code === 'badVariable' && result.problem.written.startsWith(written), text);
      assert.equal(text.slice(result.problem.offset, result.problem.offset! + result.problem.length!).slice(0, written.length), written, text);
      assert.deepEqual(resolve.asked, [], 'nothing asked');
    }
  });

  it('stop at the first variable without a value, located by line and column in the whole document', async () => {
    const documentText = 'before\n{"a": "${env:SET}",\n "b": "x ${secret:missing}"}';
    const baseOffset = documentText.indexOf('{');
    const text = documentText.slice(baseOffset);
    const resolve = resolver({ 'env:SET': 'yes' });
    const result = await resolveInput({ a: '${env:SET}', b: 'x ${secret:missing}', c: '${prompt:Never asked}' }, resolve, { text, documentText, baseOffset });
    assert.ok(!result.ok);
    assert.equal(result.problem.code, 'unresolvedVariable');
    assert.deepEqual(result.problem.code === 'unresolvedVariable' && result.problem.variable, { kind: 'secret', name: 'missing' });
    assert.equal(documentText.slice(result.problem.offset, result.problem.offset! + result.problem.length!), '${secret:missing}');
    assert.deepEqual([result.problem.line, result.problem.column], [3, 10]);
    assert.deepEqual(result.problem.path, ['b']);
    assert.deepEqual(resolve.asked, ['env:SET', 'secret:missing']);
  });

  it('locate the second of two identical variables in one string', async () => {
    const text = '{"a": "${prompt:P} and ${prompt:P}"}';
    let calls = 0;
    const result = await resolveInput(JSON.parse(text), async () => (++calls === 1 ? 'first' : undefined), { text });
    assert.ok(!result.ok);
    assert.equal(result.problem.offset, text.lastIndexOf('${prompt:P}'));
  });

  it('bound the number of variables and the size of a value', async () => {
    const many = { a: Array.from({ length: MAX_VARIABLES + 1 }, () => '${env:A}') };
    const tooMany = await resolveInput(many, resolver({ 'env:A': 'a' }));
    assert.ok(!tooMany.ok && tooMany.problem.code === 'tooManyVariables');
    const large = await resolveInput({ a: '${env:BIG}' }, resolver({ 'env:BIG': 'x'.repeat(MAX_VARIABLE_VALUE_BYTES + 1) }));
    assert.ok(!large.ok && large.problem.code === 'variableValueTooLarge');
    assert.ok((await resolveInput({ a: '${env:BIG}' }, resolver({ 'env:BIG': 'x'.repeat(MAX_VARIABLE_VALUE_BYTES) }))).ok);
  });

  it('list the row columns a template uses', () => {
    assert.deepEqual([...referencedRows({ a: '${row:Name} ${row:City}', b: [{ c: '${row:Name}' }], d: '${env:X} $${row:No}' })], ['Name', 'City']);
  });

  it('ask each prompt and secret once per run, every row its own row values', async () => {
    const resolve = resolver({ 'prompt:Password': 'pw', 'secret:s': 'sv' });
    const once = resolveOnce(resolve);
    const template = { user: '${row:User}', pass: '${prompt:Password}', key: '${secret:s}', again: '${prompt:Password}' };
    const first = await resolveInput(template, withRow(once, { User: 'ann' }));
    const second = await resolveInput(template, withRow(once, { User: 'bob' }));
    assert.ok(first.ok && second.ok);
    assert.deepEqual([first.input.user, second.input.user, second.input.pass, second.input.again], ['ann', 'bob', 'pw', 'pw']);
    assert.deepEqual(resolve.asked, ['prompt:Password', 'secret:s']);
    const missing = await resolveInput({ a: '${row:toString}' }, withRow(once, {}));
    assert.ok(!missing.ok, 'only the row\'s own columns');
  });

  it('ask again a question that was cancelled', async () => {
    const answers = [undefined, 'now'];
    const once = resolveOnce(async () => answers.shift());
    assert.equal(await once({ kind: 'prompt', name: 'P' }), undefined);
    assert.equal(await once({ kind: 'prompt', name: 'P' }), 'now');
  });
});

describe('input variables in the editor', () => {
  it('are completed where "${" was typed inside a string value of "input", nowhere else', () => {
    const at = (text: string) => isVariableStart(text.replace('|', ''), text.indexOf('|'), ['input']);
    assert.ok(at('{"input": {"a": "Bearer ${|"}}'));
    assert.ok(at('{"input": {"a": "${|'), 'while the string is still open');
    assert.ok(!at('{"input": {"a": "$${|"}}'), 'a literal "${"');
    assert.ok(!at('{"input": {"${|": ""}}'), 'a property name');
    assert.ok(!at('{"options": {"a": "${|"}}'), 'outside "input"');
  });

  it('are found under the cursor for a hover', () => {
    const text = '{"input": {"a": "x ${secret:api} y"}}';
    assert.deepEqual(variableAt(text, text.indexOf('api'), ['input'])?.variable, { kind: 'secret', name: 'api' });
    assert.equal(variableAt(text, text.indexOf('x '), ['input']), undefined);
  });
});
