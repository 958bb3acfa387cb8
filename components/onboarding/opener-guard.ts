/**
 * Runs inline, before any of the page's scripts: the Connect Button, when it mounts on the IO
 * redirect, posts the redirect's query to `window.opener` with target origin '*'. A page of
 * another origin that opened the Hub's popup would receive the client's ids. Reading a
 * cross-origin opener's location throws, and setting `window.opener` to null severs it, so the
 * button then finds no opener and the redirect is only reported to the portal's own server.
 */
export const OPENER_GUARD_SCRIPT = `(function () {
  var opener = window.opener;
  if (!opener) return;
  var sameOrigin = false;
  try { sameOrigin = opener.location.origin === window.location.origin; } catch (error) { sameOrigin = false; }
  if (!sameOrigin) window.opener = null;
})();`;
