'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { uploadWithProgress } from '@/lib/client/upload';
import { Button } from '@/components/ui/button';

type Phase =
  | { kind: 'idle' }
  | { kind: 'uploading'; fraction: number }
  | { kind: 'failed'; error: string }
  | { kind: 'done' };

/**
 * Takes a photo with the phone camera (or picks one) and uploads it with a progress bar. A failed
 * upload keeps the photo, kind and caption so "Try again" sends the same thing; the server
 * compresses it and strips its location data.
 */
export function PhotoUpload({ workOrderId }: { workOrderId: string }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState<'before' | 'after' | 'other'>('before');
  const [caption, setCaption] = useState('');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });

  const send = async () => {
    if (!file) return;
    const body = new FormData();
    body.set('photo', file);
    body.set('kind', kind);
    body.set('caption', caption);
    setPhase({ kind: 'uploading', fraction: 0 });
    const result = await uploadWithProgress(`/api/work-orders/${workOrderId}/photos`, body, {
      onProgress: (fraction) => setPhase({ kind: 'uploading', fraction }),
    });
    if (!result.ok) {
      setPhase({ kind: 'failed', error: result.error });
      return;
    }
    setPhase({ kind: 'done' });
    setFile(null);
    setCaption('');
    if (input.current) input.current.value = '';
    router.refresh();
  };

  const uploading = phase.kind === 'uploading';
  return (
    <div className="space-y-3">
      <div className="grid grid-cols-3 gap-2" role="radiogroup" aria-label="Photo kind">
        {(['before', 'after', 'other'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="radio"
            aria-checked={kind === k}
            onClick={() => setKind(k)}
            className={`min-h-11 rounded-md border text-sm font-medium capitalize ${
              kind === k
                ? 'border-brand-600 bg-brand-50 text-brand-700'
                : 'border-slate-300 bg-white text-slate-700'
            }`}
          >
            {k}
          </button>
        ))}
      </div>
      <label className="block text-sm">
        <span className="font-medium text-slate-700">Photo</span>
        <input
          ref={input}
          type="file"
          name="photo"
          accept="image/*"
          capture="environment"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setPhase({ kind: 'idle' });
          }}
          className="file:bg-brand-600 mt-1 block w-full text-sm file:mr-3 file:min-h-11 file:rounded-md file:border-0 file:px-4 file:text-white"
        />
      </label>
      <label className="block text-sm">
        <span className="font-medium text-slate-700">Caption (optional)</span>
        <input
          value={caption}
          onChange={(e) => setCaption(e.target.value)}
          maxLength={200}
          className="mt-1 block min-h-11 w-full rounded-md border border-slate-300 px-3 text-base"
          placeholder="e.g. burnt contactor"
        />
      </label>
      {uploading ? (
        <div>
          <div
            className="h-2 overflow-hidden rounded-full bg-slate-200"
            role="progressbar"
            aria-label="Upload progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(phase.fraction * 100)}
          >
            <div
              className="bg-brand-600 h-full transition-all"
              style={{ width: `${Math.round(phase.fraction * 100)}%` }}
            />
          </div>
          <p className="mt-1 text-xs text-slate-600">Uploading… {Math.round(phase.fraction * 100)}%</p>
        </div>
      ) : null}
      {phase.kind === 'failed' ? (
        <p className="text-sm text-rose-600" role="alert">
          {phase.error} Your photo is kept: try again when you have signal.
        </p>
      ) : null}
      {phase.kind === 'done' ? (
        <p className="text-sm text-emerald-700" role="status">
          Photo saved.
        </p>
      ) : null}
      <Button className="min-h-12 w-full" disabled={!file || uploading} onClick={() => void send()}>
        {phase.kind === 'failed' ? 'Try again' : uploading ? 'Uploading…' : 'Upload photo'}
      </Button>
    </div>
  );
}
