import type { MetaFunction } from "@remix-run/cloudflare";

export const meta: MetaFunction = () => [{ title: "Switchboard" }];

export default function Index() {
  return (
    <main className="p-8">
      <h1 className="text-2xl font-semibold">Switchboard</h1>
    </main>
  );
}
