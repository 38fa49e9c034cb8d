/** The Load section: sites and their load management. Each page checks its own permission. */
export default function LoadLayout({ children }: { children: React.ReactNode }) {
  return <div className="mx-auto max-w-6xl">{children}</div>;
}
