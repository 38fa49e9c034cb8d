'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { TariffFormValues } from './form-values';
import { TariffEditor, type TariffEditorMode } from './tariff-editor';

/**
 * A page heading with the button that opens the tariff editor in place below it: the editor and its
 * live preview need more room than a dialog gives.
 */
export function EditorSection({
  heading,
  actions,
  buttonLabel,
  title,
  mode,
  initial,
  timeZones,
  defaultTimeZone,
  canEdit,
}: {
  heading: React.ReactNode;
  /** Further buttons beside the editor's (e.g. Rename). */
  actions?: React.ReactNode;
  buttonLabel: string;
  title: string;
  mode: TariffEditorMode;
  initial: TariffFormValues;
  timeZones: string[];
  defaultTimeZone: string;
  canEdit: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (open) headingRef.current?.focus();
  }, [open]);
  const close = useCallback((saved?: string) => {
    setOpen(false);
    setMessage(saved ?? null);
  }, []);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">{heading}</div>
        {canEdit ? (
          <div className="flex flex-wrap gap-2">
            {actions}
            <Button
              onClick={() => {
                setMessage(null);
                setOpen(true);
              }}
              disabled={open}
              aria-expanded={open}
            >
              {buttonLabel}
            </Button>
          </div>
        ) : null}
      </div>
      {message ? (
        <Alert tone="success" onDismiss={() => setMessage(null)}>
          {message}
        </Alert>
      ) : null}
      {open ? (
        <section
          aria-labelledby="tariff-editor-heading"
          className="rounded-xl border border-slate-200 bg-white p-4 shadow-xs sm:p-5"
        >
          <h2
            id="tariff-editor-heading"
            ref={headingRef}
            tabIndex={-1}
            className="mb-4 text-lg font-semibold text-slate-900 focus:outline-none"
          >
            {title}
          </h2>
          <TariffEditor
            mode={mode}
            initial={initial}
            timeZones={timeZones}
            defaultTimeZone={defaultTimeZone}
            onClose={close}
          />
        </section>
      ) : null}
    </div>
  );
}
