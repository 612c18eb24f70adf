/**
 * The interface may load only its own scripts and styles and talk only to its own host: the same policy for the
 * browser mode's server and the desktop app's protocol. Inline scripts and styles are refused, so an injected
 * string cannot run.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";
