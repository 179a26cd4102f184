// The page a browser gets while its service starts: no scripts, no external assets (the
// waker sends it with a CSP that allows neither), a meta refresh to ask again.

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function startingPage(hostnames: readonly string[], refreshSeconds: number): string {
  const names = escapeHtml(hostnames.join(', '));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${refreshSeconds}">
<title>Starting ${names}…</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0; min-height: 100vh; display: grid;
  place-items: center; background: #f6f7f9; color: #1f2933; }
main { text-align: center; padding: 2rem; }
h1 { font-size: 1.25rem; font-weight: 600; }
p { color: #52606d; }
</style>
</head>
<body>
<main>
<h1>Starting ${names}…</h1>
<p>This service sleeps while nobody uses it. It is starting now; this page reloads by itself.</p>
</main>
</body>
</html>
`;
}
