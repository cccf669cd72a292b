/** The standalone scene's whole style sheet (inline: the file loads nothing). */
export const SCENE_VIEWER_CSS = `
html, body { margin: 0; height: 100%; background: #101418; color: #e8edf2;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.ns-app { display: flex; flex-direction: column; height: 100%; }
.ns-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; padding: 8px 12px;
  border-bottom: 1px solid #2a323b; }
.ns-toolbar h1 { font-size: 15px; font-weight: 600; margin: 0 12px 0 0; }
.ns-toolbar button { background: #1f2730; color: inherit; border: 1px solid #3a4551;
  border-radius: 4px; padding: 4px 10px; font: inherit; cursor: pointer; }
.ns-toolbar button:hover, .ns-toolbar button[aria-pressed="true"] { background: #2e3a46; }
.ns-check { margin-left: 8px; }
.ns-body { flex: 1; display: flex; min-height: 0; }
.ns-stage { position: relative; flex: 1; min-width: 0; overflow: hidden; }
.ns-stage canvas { display: block; }
.ns-overlay { position: absolute; inset: 0; pointer-events: none; }
.ns-label, .ns-axis { position: absolute; left: 0; top: 0; white-space: nowrap; }
.ns-label { margin: -10px 0 0 8px; padding: 1px 6px; border-radius: 3px;
  background: rgba(16, 20, 24, 0.75); font-size: 12px; }
.ns-axis { margin: -8px 0 0 -5px; font-weight: 700; color: #9fb3c8; }
.ns-side { width: 260px; padding: 12px; border-left: 1px solid #2a323b; overflow: auto; }
.ns-side h2 { font-size: 14px; margin: 0 0 8px; }
.ns-side p { margin: 6px 0; color: #b7c3cf; }
.ns-lesions { list-style: none; margin: 0 0 12px; padding: 0; }
.ns-lesions li { margin: 4px 0; }
.ns-swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px;
  vertical-align: -1px; border-radius: 2px; }
.ns-hint { font-size: 12px; }
.ns-error { padding: 24px; color: #ffb4a8; }
@media (max-width: 700px) { .ns-body { flex-direction: column; } .ns-side { width: auto; } }
`;
