/** A label shown before a value where a table row is laid out as a card (phones) and hidden in the table. */
export function CardLabel({ children }: { children: React.ReactNode }) {
  return <span className="w-24 shrink-0 text-slate-500 md:hidden">{children}</span>;
}
