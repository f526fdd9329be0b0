// The manifest as both registries read it: the Visual Studio Marketplace (vsce) and Open VSX (ovsx and
// its server's metadata validator). Packaging itself runs vsce's own checks (package.test.ts); these are
// the rules it leaves to the registries, which a release would otherwise only learn at publish time.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');
const readJson = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, unknown>;
const manifest = readJson('package.json') as {
  name: string;
  publisher: string;
  version: string;
  displayName: string;
  description: string;
  license?: string;
  icon?: string;
  categories: string[];
  keywords: string[];
  homepage?: string;
  repository?: { url: string };
  bugs?: { url: string };
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  galleryBanner?: { color?: string; theme?: string };
  markdown?: string;
  qna?: string | false;
};
const languages = { en: readJson('package.nls.json'), ja: readJson('package.nls.ja.json') };

/** A manifest string as a registry shows it in `language`: `%key%` replaced from package.nls*.json. */
function shown(value: string, language: keyof typeof languages): string {
  const key = /^%(.+)%$/.exec(value)?.[1];
  if (key === undefined) return value;
  const text = languages[language][key] ?? languages.en[key];
  assert.equal(typeof text, 'string', `${value} has no text in package.nls${language === 'en' ? '' : `.${language}`}.json`);
  return text as string;
}

/** Open VSX refuses control, format, unassigned, private-use and line/paragraph separator characters. */
function refusedCharacter(text: string): string | undefined {
  return [...text].find((c) => /[\p{Cc}\p{Cf}\p{Cn}\p{Co}\p{Zl}\p{Zp}]/u.test(c));
}

const isUrlWithHost = (value: string) => {
  try {
    return new URL(value.replace(/^git\+/, '')).host !== '';
  } catch {
    return false;
  }
};

// The Marketplace's categories (an unknown one is refused at publish).
const MARKETPLACE_CATEGORIES = new Set([
  'AI', 'Azure', 'Chat', 'Data Science', 'Debuggers', 'Education', 'Extension Packs', 'Formatters', 'Keymaps', 'Language Packs',
  'Linters', 'Machine Learning', 'Notebooks', 'Other', 'Programming Languages', 'SCM Providers', 'Snippets', 'Testing', 'Themes', 'Visualization',
]);

describe('the manifest for the Visual Studio Marketplace and Open VSX', () => {
  it('has a namespace (publisher) and name both registries accept', () => {
    for (const value of [manifest.publisher, manifest.name]) {
      assert.match(value, /^[\w\-+$~]+$/);
      assert.ok(value.length <= 255);
    }
    // The Marketplace's rule for names is narrower: lower-case, no spaces.
    assert.match(manifest.name, /^[a-z0-9][a-z0-9-]*$/);
  });

  it('has a version that is semantic, and that Open VSX does not reserve', () => {
    assert.match(manifest.version, /^\d+\.\d+\.\d+$/, 'the Marketplace takes major.minor.patch only');
    assert.ok(!['latest', 'pre-release', 'reviews'].includes(manifest.version));
  });

  it('shows a display name and description within the limits, in English and Japanese', () => {
    for (const language of ['en', 'ja'] as const) {
      const displayName = shown(manifest.displayName, language);
      const description = shown(manifest.description, language);
      assert.ok(displayName.length > 0 && displayName.length <= 255, `displayName (${language})`);
      assert.ok(description.length > 0 && description.length <= 2048, `description (${language})`);
      assert.equal(refusedCharacter(displayName), undefined, `displayName (${language})`);
      assert.equal(refusedCharacter(description), undefined, `description (${language})`);
    }
  });

  it('has categories the Marketplace knows and keywords both accept', () => {
    assert.ok(manifest.categories.length > 0);
    for (const category of manifest.categories) assert.ok(MARKETPLACE_CATEGORIES.has(category), `unknown category "${category}"`);
    assert.ok(manifest.keywords.length <= 30, 'vsce refuses more than 30 keywords');
    for (const keyword of manifest.keywords) {
      assert.ok(keyword.length > 0 && keyword.length <= 255, `keyword "${keyword}"`);
      assert.equal(refusedCharacter(keyword), undefined, `keyword "${keyword}"`);
    }
  });

  it('names its licence, with the licence file that ovsx looks for', () => {
    assert.ok(manifest.license && manifest.license.length <= 255);
    assert.ok(existsSync(join(root, 'LICENSE')), 'LICENSE');
    assert.ok(existsSync(join(root, 'README.md')), 'README.md');
  });

  it('links its home page, repository and issues with URLs that have a host', () => {
    for (const [field, value] of [['homepage', manifest.homepage], ['repository', manifest.repository?.url], ['bugs', manifest.bugs?.url]] as const) {
      assert.ok(value && isUrlWithHost(value) && value.length <= 255, `${field}: ${value}`);
    }
  });

  it('has only values both registries allow in its optional gallery fields', () => {
    if (manifest.markdown !== undefined) assert.ok(['github', 'standard'].includes(manifest.markdown));
    if (manifest.galleryBanner?.theme !== undefined) assert.ok(['dark', 'light'].includes(manifest.galleryBanner.theme));
    if (manifest.galleryBanner?.color !== undefined) assert.ok(manifest.galleryBanner.color.length <= 16);
    if (manifest.qna !== undefined) assert.ok(manifest.qna === 'marketplace' || manifest.qna === false || isUrlWithHost(manifest.qna));
  });

  it('has a PNG icon of at least 128 × 128 pixels (the Marketplace shows no SVG icon)', () => {
    assert.ok(manifest.icon);
    const png = readFileSync(join(root, manifest.icon));
    assert.equal(png.toString('latin1', 1, 4), 'PNG');
    assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128, `the icon is ${png.readUInt32BE(16)} × ${png.readUInt32BE(20)}`);
  });

  it('declares types no newer than its engine (vsce refuses to package otherwise)', () => {
    const floor = (range: string) => /(\d+)\.(\d+)/.exec(range)!.slice(1).map(Number);
    const [engineMajor, engineMinor] = floor(manifest.engines.vscode);
    const [typesMajor, typesMinor] = floor(manifest.devDependencies['@types/vscode']);
    assert.ok(typesMajor < engineMajor || (typesMajor === engineMajor && typesMinor <= engineMinor), `@types/vscode ${manifest.devDependencies['@types/vscode']} is newer than engines.vscode ${manifest.engines.vscode}`);
  });
});
