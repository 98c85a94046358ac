/**
 * Whether a key press is meant for the inbox's single-key shortcuts (j, k, Enter, r, e): no
 * modifier, not while composing text, and not while typing in a field or a menu of choices.
 */
export function isShortcutKey(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.isComposing) return false;
  if (event.metaKey || event.ctrlKey || event.altKey) return false;
  const target = event.target;
  if (!(target instanceof HTMLElement)) return true;
  if (target.isContentEditable) return false;
  return !target.closest("input, textarea, select, [role='listbox'], [role='dialog']");
}
