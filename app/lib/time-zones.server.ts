/** The time zone choices of a select (UTC first if missing); the current value stays even if unlisted. */
export function timeZoneOptions(current: string): { value: string; label: string }[] {
  const zones = Intl.supportedValuesOf("timeZone");
  const all = zones.includes(current) ? zones : [current, ...zones];
  return (all.includes("UTC") ? all : ["UTC", ...all]).map((zone) => ({
    value: zone,
    label: zone.replaceAll("_", " "),
  }));
}
