/** The widget's styles, inside its shadow root: nothing leaks in or out of the host page. */
export const STYLES = `
:host { all: initial; }
* { box-sizing: border-box; }
.root {
  --accent: #2563eb; --accent-text: #fff; --bg: #fff; --text: #111827; --muted: #6b7280;
  --line: #e5e7eb; --bubble: #f3f4f6;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
  color: var(--text);
}
.launcher {
  position: fixed; right: 20px; bottom: 20px; z-index: 2147483646;
  width: 56px; height: 56px; border-radius: 50%; border: 0; cursor: pointer;
  background: var(--accent); color: var(--accent-text);
  box-shadow: 0 6px 20px rgba(0,0,0,.2); display: grid; place-items: center;
}
.launcher:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible {
  outline: 3px solid #93c5fd; outline-offset: 2px;
}
.launcher svg { width: 26px; height: 26px; }
.badge {
  position: absolute; top: -4px; right: -4px; min-width: 20px; height: 20px; padding: 0 6px;
  border-radius: 10px; background: #dc2626; color: #fff; font-size: 12px; font-weight: 600;
  line-height: 20px; text-align: center;
}
.badge[hidden] { display: none; }
.panel {
  position: fixed; right: 20px; bottom: 88px; z-index: 2147483647;
  width: 370px; height: min(600px, calc(100vh - 110px));
  display: flex; flex-direction: column; overflow: hidden;
  background: var(--bg); border-radius: 14px; box-shadow: 0 12px 40px rgba(0,0,0,.25);
}
.panel[hidden] { display: none; }
.header {
  background: var(--accent); color: var(--accent-text); padding: 14px 16px;
  display: flex; align-items: center; gap: 12px;
}
.header .titles { flex: 1; min-width: 0; }
.header .title { font-weight: 600; font-size: 15px; }
.header .status { font-size: 12px; opacity: .9; }
.close {
  border: 0; background: transparent; color: inherit; cursor: pointer; font-size: 22px;
  line-height: 1; padding: 4px 8px; border-radius: 6px;
}
.notice { padding: 8px 16px; background: #fef3c7; color: #92400e; font-size: 13px; }
.notice[hidden] { display: none; }
.messages {
  flex: 1; overflow-y: auto; padding: 12px 12px 4px; display: flex; flex-direction: column;
  gap: 6px; overscroll-behavior: contain;
}
.msg { max-width: 80%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap;
  overflow-wrap: anywhere; }
.msg.team { align-self: flex-start; background: var(--bubble); border-bottom-left-radius: 4px; }
.msg.me { align-self: flex-end; background: var(--accent); color: var(--accent-text);
  border-bottom-right-radius: 4px; }
.msg.failed { opacity: .6; }
.msg .file { display: block; color: inherit; font-weight: 500; }
.msg .file img { display: block; max-width: 100%; max-height: 220px; border-radius: 8px; }
.meta { font-size: 11px; color: var(--muted); margin: -2px 4px 4px; }
.meta.me { align-self: flex-end; }
.meta.team { align-self: flex-start; }
.typing { font-size: 12px; color: var(--muted); padding: 0 16px 4px; min-height: 18px; }
.form { padding: 16px; display: flex; flex-direction: column; gap: 10px; }
.form p { margin: 0 0 4px; color: var(--muted); }
.form label { display: flex; flex-direction: column; gap: 4px; font-size: 13px; font-weight: 500; }
.form[hidden], .composer[hidden] { display: none; }
input, textarea {
  font: inherit; color: inherit; border: 1px solid var(--line); border-radius: 8px;
  padding: 8px 10px; background: #fff; width: 100%;
}
.primary {
  font: inherit; font-weight: 600; border: 0; border-radius: 8px; padding: 9px 14px;
  background: var(--accent); color: var(--accent-text); cursor: pointer;
}
.primary:disabled { opacity: .5; cursor: default; }
.composer { display: flex; gap: 8px; padding: 10px 12px; border-top: 1px solid var(--line);
  align-items: flex-end; }
.composer textarea { resize: none; max-height: 120px; min-height: 40px; }
.error { color: #b91c1c; font-size: 12px; padding: 0 16px 6px; }
.error:empty { display: none; }
@media (max-width: 480px) {
  .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; }
  .launcher.open { display: none; }
}
`;
