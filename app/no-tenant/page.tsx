export default function NoTenantPage() {
  return (
    <main className="mx-auto max-w-md p-10 text-center">
      <h1 className="text-xl font-semibold">No tenant</h1>
      <p className="mt-2 text-sm text-slate-600">
        Your account is not a member of any tenant. Ask a tenant owner to invite you.
      </p>
    </main>
  );
}
