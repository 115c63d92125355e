import { escapeHtml } from '../lib/html.ts';

/** The views, in the order of the navigation. The hash names the view (`#omrade`). */
export const VIEWS = [
  { id: 'uppgifter', label: 'Mina uppgifter' },
  { id: 'omrade', label: 'Område' },
  { id: 'ko', label: 'Kö och lediga' },
  { id: 'ledtider', label: 'Ledtider' },
  { id: 'ej-verkstallda', label: 'Ej verkställda beslut' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

export function isViewId(value: string): value is ViewId {
  return VIEWS.some((v) => v.id === value);
}

/**
 * Colours meet WCAG 2.1 AA on white: text #1b1b1b (17:1), links and focus #0b57a4 (7:1), late
 * #a4262c (7:1), muted #4a4a4a (9:1). Focus is always visible; nothing depends on colour alone
 * (late steps also say "försenad").
 */
export const STYLES = `
:root { color-scheme: light; font-family: "Segoe UI", system-ui, sans-serif; color: #1b1b1b; background: #fff; }
body { margin: 0; line-height: 1.45; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: .5rem; }
header { padding: .75rem 1rem; border-bottom: 1px solid #8a8a8a; }
header h1 { font-size: 1.25rem; margin: 0; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem; margin: .5rem 0 0; padding: 0; }
nav a { display: inline-block; padding: .35rem .7rem; border: 1px solid #0b57a4; border-radius: 4px; color: #0b57a4; text-decoration: none; }
nav a[aria-current="page"] { background: #0b57a4; color: #fff; }
main { padding: 1rem; max-width: 80rem; }
a { color: #0b57a4; }
a:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible, main:focus-visible, h2:focus-visible { outline: 3px solid #0b57a4; outline-offset: 2px; }
table { border-collapse: collapse; margin: .5rem 0 1.25rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #8a8a8a; padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; }
.late { color: #a4262c; font-weight: 600; }
.muted { color: #4a4a4a; }
.pair { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
figure { margin: 0; }
figcaption { font-weight: 600; }
button, select, input { font: inherit; padding: .3rem .6rem; }
button { background: #0b57a4; color: #fff; border: 1px solid #0b57a4; border-radius: 4px; cursor: pointer; }
[role="alert"] { border-left: 4px solid #a4262c; padding: .5rem .75rem; background: #fdf3f4; }
`;

/** The Content-Security-Policy of every tab page: our own scripts only, framed only by Teams. */
export const TAB_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  'frame-ancestors https://teams.microsoft.com https://*.teams.microsoft.com https://*.teams.microsoft.us https://*.office.com https://*.cloud.microsoft https://*.microsoft365.com https://*.skype.com',
].join('; ');

/** The page Teams opens: no data, only the frame the script fills once it has a token. */
export function shellPage(): string {
  const nav = VIEWS.map((v) => `<li><a href="#${v.id}" data-view="${v.id}">${escapeHtml(v.label)}</a></li>`).join('');
  return `<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Boendelotsen – översikt</title>
<link rel="stylesheet" href="/tab/static/tab.css">
<script src="/tab/static/teams.js" defer></script>
<script src="/tab/static/tab.js" defer></script>
</head>
<body>
<a class="skip" href="#innehall">Hoppa till innehållet</a>
<header>
<h1>Boendelotsen – översikt</h1>
<nav aria-label="Vyer"><ul>${nav}</ul></nav>
</header>
<main id="innehall" tabindex="-1" aria-busy="true">
<p>Loggar in via Teams …</p>
</main>
</body>
</html>
`;
}

/** The team tab's configuration page: saving pins the overview to the channel. */
export function configPage(): string {
  return `<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Boendelotsen – lägg till översikten</title>
<link rel="stylesheet" href="/tab/static/tab.css">
<script src="/tab/static/teams.js" defer></script>
<script src="/tab/static/tab-config.js" defer></script>
</head>
<body>
<main id="innehall" tabindex="-1">
<h1>Lägg till Boendelotsens översikt</h1>
<p>Fliken visar var och en bara de ärenden som hen får se i chatten med Boendelotsen. Välj Spara för att lägga till den.</p>
<p id="status" role="status"></p>
</main>
</body>
</html>
`;
}
