import Link from "next/link";
import { KeyRound } from "lucide-react";
import { buttonClass } from "@/components/ui/button";

/** A tenant without any key yet: what a key is for and the one thing to do, not "no match". */
export function FirstKeyEmptyState({ createDenied }: { createDenied: string | null }) {
  return (
    <section
      aria-labelledby="first-key-title"
      className="flex flex-col items-center rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center"
    >
      <KeyRound aria-hidden="true" className="size-8 text-indigo-600" />
      <h2 id="first-key-title" className="mt-3 text-lg font-semibold">
        No API keys yet
      </h2>
      <p className="mt-1 max-w-md text-sm text-slate-600">
        Generate a key for each integration that calls your API. You see its secret once; after that only its prefix.
      </p>
      {createDenied ? (
        <p className="mt-4 text-sm text-slate-500">{createDenied}</p>
      ) : (
        <Link href="/tenant-api-keys/new" className={buttonClass("primary", "mt-4")}>
          Generate your first key
        </Link>
      )}
    </section>
  );
}
