import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="flex min-h-full items-center justify-center p-6">
      <div className="max-w-md rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
        <p className="text-sm font-semibold text-slate-500">404 · Not found</p>
        <h1 className="mt-2 text-xl font-semibold">There is nothing at this address</h1>
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
