'use client';

import { useState } from 'react';

/**
 * Open/closed state of a dialog whose form posts to a server action: it closes by itself when the
 * action answers with a new success, and stays open (showing the errors) otherwise. Derived from
 * the action's result rather than set in an effect: the dialog remembers the result it was opened
 * with, and a different successful result means the form was saved.
 */
export function useFormDialog<S extends { ok: boolean } | null>(
  state: S,
): { open: boolean; setOpen: (open: boolean) => void } {
  const [openedWith, setOpenedWith] = useState<S | undefined>(undefined);
  const open = openedWith !== undefined && !(state?.ok && state !== openedWith);
  return { open, setOpen: (value) => setOpenedWith(value ? state : undefined) };
}
