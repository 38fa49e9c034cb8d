import Link from 'next/link';

/** A full-page notice (403, 404) with a way back to the user's start page. */
export function StatusPage({
  code,
  tone = 'slate',
  title,
  children,
}: {
  code: string;
  tone?: 'rose' | 'slate';
  title: string;
  children?: React.ReactNode;
}) {
  return (
    <main className="flex min-h-full items-center justify-center p-6">
      <div className="max-w-md rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm">
        <p className={`text-sm font-semibold ${tone === 'rose' ? 'text-rose-600' : 'text-slate-500'}`}>
          {code}
        </p>
        <h1 className="mt-2 text-xl font-semibold">{title}</h1>
        {children ? <p className="mt-2 text-sm text-slate-600">{children}</p> : null}
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
