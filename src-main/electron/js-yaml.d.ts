// js-yaml 4 ships without types and @types/js-yaml is not installed (it arrives transitively with
// electron-builder); this declares the one function the packaging test uses.
declare module 'js-yaml' {
  export function load(text: string, options?: { filename?: string }): unknown;
}
