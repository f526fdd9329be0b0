// What the URL checks share: which hosts are this machine, and user names or passwords in URLs.

/** This machine: the emulator, a receiver under test. Plain http is allowed only here. */
export function isLoopbackHost(hostname: string): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

/** A user name or password in a URL goes along wherever the URL points (as Basic auth): refused everywhere. */
export function carriesCredentials(url: URL): boolean {
  return url.username !== '' || url.password !== '';
}

/** The URL with its user name and password replaced by `***`, safe to show and log. */
export function redactCredentials(url: URL): string {
  const shown = new URL(url.href);
  shown.username = carriesCredentials(url) ? '***' : '';
  shown.password = '';
  return shown.href;
}
