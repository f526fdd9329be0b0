// The manifest's "Get started with Cloud BOT" walkthrough, as VS Code reads it in each language: every
// step's text, image and alt text in English and Japanese, each image a WebP file that is there, and
// every completion event and button naming something the extension really has.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

interface Step {
  id: string;
  title: string;
  description: string;
  media: { image?: string; altText?: string };
  completionEvents?: string[];
}
interface Manifest {
  contributes: {
    walkthroughs: { id: string; title: string; description: string; steps: Step[] }[];
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    viewsWelcome: { view: string; contents: string; when?: string }[];
  };
}
const manifest = JSON.parse(read('package.json')) as Manifest;
const languages = { en: JSON.parse(read('package.nls.json')) as Record<string, string>, ja: JSON.parse(read('package.nls.ja.json')) as Record<string, string> };
/** A manifest value as VS Code shows it in a language: a whole-value %key% is replaced, as for any other string. */
const localized = (value: string, language: keyof typeof languages) => {
  const key = /^%(.+)%$/.exec(value)?.[1];
  return key === undefined ? value : languages[language][key];
};

const srcFiles = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
const src = srcFiles.map((file) => read(join('src', file))).join('\n');
/** The context keys the extension sets: by name in a setContext call, or in the walkthrough's table of keys. */
const contextKeys = new Set([
  ...[...src.matchAll(/'setContext',\s*'([^']+)'/g)].map((match) => match[1]),
  ...[...(/WALKTHROUGH_CONTEXT_KEYS = \{([^}]*)\}/.exec(read('src/views/walkthroughProgress.ts'))?.[1] ?? '').matchAll(/'([^']+)'/g)].map((match) => match[1]),
]);
const commands = new Set(manifest.contributes.commands.map((entry) => entry.command));
const views = new Set(Object.values(manifest.contributes.views).flat().map((view) => view.id));
/** Our own commands, and the focus command VS Code makes for each of our views. */
const ownCommands = new Set([...commands, ...[...views].map((view) => `${view}.focus`)]);
const commandLinks = (text: string) => [...text.matchAll(/\]\(command:([\w.]+)/g)].map((match) => match[1]);

describe('the Get Started walkthrough in the manifest', () => {
  const [walkthrough, ...others] = manifest.contributes.walkthroughs;

  it('is the one walkthrough, the one the Get Started command opens', () => {
    assert.equal(others.length, 0);
    assert.match(read('src/commands/openWalkthrough.ts'), new RegExp(`WALKTHROUGH_ID = '${walkthrough.id}'`));
    assert.ok(commands.has('cloudbot.openWalkthrough'));
    assert.match(src, /registerCommand\('cloudbot\.openWalkthrough'/);
  });

  for (const language of ['en', 'ja'] as const) {
    it(`has a title, description, image and alt text for every step, in ${language === 'en' ? 'English' : 'Japanese'}`, () => {
      assert.ok(walkthrough.steps.length >= 6);
      const texts = [walkthrough.title, walkthrough.description, ...walkthrough.steps.flatMap((step) => [step.title, step.description, step.media.altText ?? ''])];
      for (const text of texts) {
        const shown = localized(text, language);
        assert.ok(shown?.trim(), `${text} has no ${language} text`);
        assert.notEqual(shown, text, `${text} is not taken from package.nls*.json`);
        if (language === 'ja') assert.match(shown, /[\u3040-\u30ff\u4e00-\u9fff]/, `${text} is not Japanese: ${shown}`);
      }
    });

    it(`shows each step a WebP image of its own, in ${language === 'en' ? 'English' : 'Japanese'}`, () => {
      const images = walkthrough.steps.map((step) => localized(step.media.image ?? '', language));
      assert.equal(new Set(images).size, images.length, 'one image per step');
      for (const image of images) {
        assert.ok(image?.startsWith('media/walkthrough/') && image.endsWith(`.${language}.webp`), `${image} is not this language's`);
        assert.ok(existsSync(join(root, image)), `${image} is missing`);
        const bytes = readFileSync(join(root, image));
        assert.equal(bytes.toString('latin1', 0, 4), 'RIFF', `${image} is not WebP`);
        assert.equal(bytes.toString('latin1', 8, 12), 'WEBP', `${image} is not WebP`);
      }
    });

    it(`has buttons that run the extension's own commands, in ${language === 'en' ? 'English' : 'Japanese'}`, () => {
      for (const step of walkthrough.steps) {
        const links = commandLinks(localized(step.description, language));
        assert.ok(links.length > 0, `step ${step.id} has no button`);
        for (const command of links) assert.ok(ownCommands.has(command), `step ${step.id} runs ${command}, not a command of ours`);
        assert.deepEqual(links, commandLinks(localized(step.description, 'en')), `step ${step.id} has other buttons than in English`);
      }
    });

    it(`links the walkthrough from the signed-out welcome view, in ${language === 'en' ? 'English' : 'Japanese'}`, () => {
      const signedOut = manifest.contributes.viewsWelcome.find((entry) => entry.view === 'cloudbot.bots' && entry.when === '!cloudbot.signedIn')!;
      assert.ok(commandLinks(localized(signedOut.contents, language)).includes('cloudbot.openWalkthrough'));
    });
  }

  it('has only images the steps show in media/walkthrough/', () => {
    const shown = walkthrough.steps.flatMap((step) => (['en', 'ja'] as const).map((language) => localized(step.media.image ?? '', language)));
    assert.deepEqual(readdirSync(join(root, 'media', 'walkthrough')).map((file) => `media/walkthrough/${file}`).sort(), shown.sort());
  });

  it('completes each step on an event of a context key the extension sets, or of its own view or command', () => {
    assert.ok(contextKeys.has('cloudbot.signedIn') && contextKeys.has('cloudbot.walkthrough.jobExecuted'), 'the context keys are found');
    for (const step of walkthrough.steps) {
      assert.ok(step.completionEvents?.length, `step ${step.id} completes when it is merely opened`);
      for (const event of step.completionEvents) {
        const [, kind, name] = /^(\w+):(.+)$/.exec(event) ?? [];
        if (kind === 'onContext') assert.ok(contextKeys.has(name), `step ${step.id}: the extension never sets ${name}`);
        else if (kind === 'onView') assert.ok(views.has(name), `step ${step.id}: ${name} is not a view of ours`);
        else if (kind === 'onCommand') assert.ok(commands.has(name), `step ${step.id}: ${name} is not a command of ours`);
        else assert.fail(`step ${step.id}: ${event} is no event this test knows`);
      }
    }
  });
});
