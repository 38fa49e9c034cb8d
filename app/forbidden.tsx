import Link from 'next/link';

export default function Forbidden() {
  return (
    <main className="flex min-h-full items-center justify-center p-6">
      <div className="max-w-md rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
        <p className="text-sm font-semibold text-rose-600">403 · Forbidden</p>
        <h1 className="mt-2 text-xl font-semibold">You do not have access to this page</h1>
        <p className="mt-2 text-sm text-slate-600">
          Your role does not include it. If you need it for your work, ask an administrator of your
          organisation.
        </p>
        <Link
          href="/"
          className="bg-brand-600 hover:bg-brand-700 mt-6 inline-block rounded-md px-4 py-2 text-sm font-medium text-white"
        >
          Go to your start page
        </Link>
      </div>
    </main>
  );
}
