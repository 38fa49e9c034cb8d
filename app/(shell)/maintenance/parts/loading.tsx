/** Shown while a spare parts page loads. */
export default function PartsLoading() {
  return (
    <div className="space-y-4" aria-busy="true" aria-label="Loading spare parts">
      <div className="h-10 w-full max-w-sm animate-pulse rounded-md bg-slate-200" />
      <div className="h-64 animate-pulse rounded-xl bg-slate-100" />
    </div>
  );
}
