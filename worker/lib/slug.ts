/** Lower-case ASCII words joined by dashes ("Réinitialiser le mot de passe!" -> "reinitialiser-le-mot-de-passe"). */
export function slugBase(text: string, maxLength: number): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, maxLength)
    .replace(/-+$/g, "");
}
