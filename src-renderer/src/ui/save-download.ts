/**
 * Saves bytes the app received as a file: a link with `download` on a blob URL. In a browser
 * (serve mode) that is an ordinary download; in the desktop app Electron shows its save dialog
 * for it. Either way the bytes came through the API's transport, so the session token never
 * appears in a URL.
 */
export function saveDownload(fileName: string, data: ArrayBuffer, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([data], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once may cut the download short in some browsers; the blob is small.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
