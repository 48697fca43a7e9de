// The pages a browser sees before it has a session: the sign-in form (the access token goes in a POST body,
// never in an address) and the refusal page. Self-contained (inline style attributes only): the stylesheet is
// behind the sign-in too.
import { html, type Html } from './html.js';

/** Where the sign-in form posts. */
export const SIGN_IN_PATH = '/signin';

// The address to return to after signing in: a path of this server, else `/` (no open redirect; pure).
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || [...value].some((ch) => ch < ' ' || ch === '\u007f')) return '/';
  return value;
}

const frame = (title: string, body: Html): Html => html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · agent-dispatch</title></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5">${body}</body></html>`;

/** What the sign-in page says. */
export interface SignInPageOptions {
  /** Where to go after signing in. */
  next: string;
  /** Why the page is shown again (a wrong token, a used link). */
  problem?: string;
  /** Where the access token is stored, to tell the user. */
  tokenFile?: string;
}

// The sign-in form.
export function signInPage(options: SignInPageOptions): Html {
  const where = options.tokenFile ? html`<code>${options.tokenFile}</code>` : html`the file <code>access-token</code> in agent-dispatch's state directory`;
  return frame(
    'Sign in',
    html`<h1>Sign in to the dashboard</h1>
${options.problem ? html`<p role="alert" style="color:#a40000">${options.problem}</p>` : ''}
<form method="post" action="${SIGN_IN_PATH}">
<input type="hidden" name="next" value="${options.next}">
<p><label for="token">Access token</label><br>
<input id="token" name="token" type="password" autocomplete="off" required autofocus style="width:100%;font:inherit;padding:.3rem"></p>
<p><button type="submit" style="font:inherit;padding:.3rem 1rem">Sign in</button></p>
</form>
<p>The token is in ${where}. Or run <code>agent-dispatch web</code> again and open the one-time link it prints.</p>`,
  );
}

// The page a one-time link answers with once the cookie is set: it moves on to `next` from our own origin.
// A 303 would not do: when the link was opened from another site or a file (`--open`), the browser keeps the
// SameSite=Strict cookie off every request of that navigation, redirects included.
export function forwardPage(next: string): Html {
  return frame('Signed in', html`<meta http-equiv="refresh" content="0;url=${next}"><p>Signed in. <a href="${next}">Continue to the dashboard</a>.</p>`);
}

// A refusal that is not about signing in (a foreign Host or Origin, an action from another page).
export function refusedPage(message: string): Html {
  return frame('Refused', html`<h1>Refused</h1><p>${message}</p><p>Open the dashboard at the address <code>agent-dispatch web</code> printed.</p>`);
}
