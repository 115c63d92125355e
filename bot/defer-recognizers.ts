import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * teams-ai's Application loads botbuilder-dialogs (for its sign-in prompts), and botbuilder-dialogs
 * loads Microsoft's text recognizers at once: about 5 MB of code that builds number, date and
 * choice grammars for a dozen languages, a quarter of a second of every start on two cores.
 * Boendelotsen never runs a dialog prompt.
 *
 * Each recognizer package is therefore entered in the CommonJS module cache, where
 * botbuilder-dialogs' require() finds it, as a stand-in: it answers the culture codes that
 * botbuilder-dialogs reads while loading, and loads the real package the first time anything else
 * is asked of it. So a prompt that does run behaves exactly as before, only its first use pays the
 * load. Called by main.ts before the bot's modules load; without it everything works the same,
 * just slower to start.
 */
export const DEFERRED_RECOGNIZERS = [
  '@microsoft/recognizers-text-suite',
  '@microsoft/recognizers-text-number',
  '@microsoft/recognizers-text-choice',
  '@microsoft/recognizers-text-date-time',
] as const;

type Loaded = Record<PropertyKey, unknown>;

export function deferTextRecognizers(): void {
  const fromHere = createRequire(import.meta.url);
  let dialogsRequire: NodeJS.Require;
  try {
    // Resolved as botbuilder-dialogs resolves them, so the stand-in sits where it looks.
    dialogsRequire = createRequire(fromHere.resolve('botbuilder-dialogs'));
  } catch {
    return;
  }
  // The culture codes (Culture.English = 'en-us' …) live in the small base package; the suite's
  // Culture inherits them.
  const base = dialogsRequire('@microsoft/recognizers-text') as { Culture: unknown };
  for (const name of DEFERRED_RECOGNIZERS) {
    const file = dialogsRequire.resolve(name);
    if (dialogsRequire.cache[file]) continue;
    let real: Loaded | undefined;
    const load = (): Loaded => {
      if (real === undefined) {
        delete dialogsRequire.cache[file];
        real = dialogsRequire(file) as Loaded;
      }
      return real;
    };
    const standIn = new Proxy<Loaded>({}, {
      get: (_t, key) => {
        if (real === undefined && key === '__esModule') return true;
        if (real === undefined && key === 'Culture') return base.Culture;
        return Reflect.get(load(), key);
      },
      has: (_t, key) => Reflect.has(load(), key),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_t, key) => {
        const found = Reflect.getOwnPropertyDescriptor(load(), key);
        return found && { ...found, configurable: true };
      },
    });
    const ModuleClass = fromHere('node:module') as new (id: string) => NodeJS.Module;
    const entry = new ModuleClass(file);
    entry.filename = file;
    entry.paths = [path.join(path.dirname(file), 'node_modules')];
    entry.exports = standIn;
    entry.loaded = true;
    dialogsRequire.cache[file] = entry;
  }
}
