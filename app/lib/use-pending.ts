import { useNavigation } from "@remix-run/react";

/** True while a form of this page (optionally: with this intent, or this field value) is posting. */
export function useSubmitting(intent?: string, match?: { name: string; value: string }): boolean {
  const navigation = useNavigation();
  if (navigation.state !== "submitting" || !navigation.formData) return false;
  if (intent !== undefined && navigation.formData.get("intent") !== intent) return false;
  if (match && navigation.formData.get(match.name) !== match.value) return false;
  return true;
}
