'use client';

import { useEffect, useId, useRef, useState, type PointerEvent } from 'react';
import { Button } from '@/components/ui/button';

interface Point {
  x: number;
  y: number;
}

interface SignaturePadProps {
  /** Names the pad for screen readers and shows above it, e.g. "Site contact signature". */
  label: string;
  /** A transparent PNG data URL, cropped to the ink, after each stroke; null once cleared. */
  onChange: (dataUrl: string | null) => void;
  disabled?: boolean;
  /** CSS pixels; the width follows the container. */
  height?: number;
  className?: string;
}

const INK = '#0f172a';
const LINE_WIDTH = 2.5;

/**
 * A finger, pen or mouse signature on a canvas, for the site contact on the technician's phone.
 * Strokes are kept as points in CSS pixels so a resize (rotation, zoom) redraws them sharply.
 */
export function SignaturePad({
  label,
  onChange,
  disabled = false,
  height = 200,
  className = '',
}: SignaturePadProps) {
  const labelId = useId();
  const statusId = useId();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const strokesRef = useRef<Point[][]>([]);
  // One pointer draws at a time: a palm or second finger must not start a stroke of its own.
  const activePointerRef = useRef<number | null>(null);
  const [empty, setEmpty] = useState(true);

  // The canvas's backing store in device pixels: a 1x bitmap looks blurry on a 3x phone screen.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const resize = () => {
      const ratio = window.devicePixelRatio || 1;
      const { width, height: cssHeight } = canvas.getBoundingClientRect();
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(cssHeight * ratio);
      const context = canvas.getContext('2d');
      if (!context) return;
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      for (const stroke of strokesRef.current) drawStroke(context, stroke);
    };
    resize();
    const observer = new ResizeObserver(resize);
    observer.observe(canvas);
    return () => observer.disconnect();
  }, []);

  function context() {
    return canvasRef.current?.getContext('2d') ?? null;
  }

  function pointOf(event: PointerEvent<HTMLCanvasElement>): Point {
    const rect = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  function handlePointerDown(event: PointerEvent<HTMLCanvasElement>) {
    if (disabled || activePointerRef.current !== null) return;
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    event.preventDefault();
    // Keeps the stroke ours when the finger slides off the canvas edge and back.
    event.currentTarget.setPointerCapture(event.pointerId);
    activePointerRef.current = event.pointerId;
    strokesRef.current.push([pointOf(event)]);
  }

  function handlePointerMove(event: PointerEvent<HTMLCanvasElement>) {
    if (activePointerRef.current !== event.pointerId) return;
    const stroke = strokesRef.current.at(-1);
    const ctx = context();
    if (!stroke || !ctx) return;
    // A pen reports far more points than animation frames; the coalesced ones keep curves round.
    const native = event.nativeEvent;
    const events = typeof native.getCoalescedEvents === 'function' ? native.getCoalescedEvents() : [];
    const rect = event.currentTarget.getBoundingClientRect();
    const points =
      events.length > 0
        ? events.map((e) => ({ x: e.clientX - rect.left, y: e.clientY - rect.top }))
        : [pointOf(event)];
    for (const point of points) {
      const last = stroke.at(-1);
      // Sub-pixel jitter adds points without adding shape.
      if (last && Math.hypot(point.x - last.x, point.y - last.y) < 0.75) continue;
      stroke.push(point);
      drawSegment(ctx, stroke, stroke.length - 1);
    }
  }

  function handlePointerEnd(event: PointerEvent<HTMLCanvasElement>) {
    if (activePointerRef.current !== event.pointerId) return;
    activePointerRef.current = null;
    const stroke = strokesRef.current.at(-1);
    const ctx = context();
    const canvas = canvasRef.current;
    if (!stroke || !ctx || !canvas) return;
    drawStrokeEnd(ctx, stroke);
    setEmpty(false);
    onChange(exportSignature(canvas, strokesRef.current));
  }

  function clear() {
    strokesRef.current = [];
    const canvas = canvasRef.current;
    const ctx = context();
    if (canvas && ctx) {
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.restore();
    }
    setEmpty(true);
    onChange(null);
  }

  return (
    <div role="group" aria-labelledby={labelId} aria-describedby={statusId} className={`w-full ${className}`}>
      <div className="mb-1.5 flex items-end justify-between gap-3">
        <span id={labelId} className="text-sm font-medium text-slate-700">
          {label}
        </span>
        <Button
          variant="secondary"
          className="min-h-11 min-w-11"
          onClick={clear}
          disabled={disabled || empty}
        >
          Clear
        </Button>
      </div>
      <div
        className={`relative w-full overflow-hidden rounded-lg border-2 border-dashed bg-white ${
          disabled ? 'border-slate-200 opacity-60' : 'border-slate-300'
        }`}
        style={{ height }}
      >
        {/* Baseline and hint sit under the canvas: they guide the hand but are not in the PNG. */}
        <div aria-hidden className="pointer-events-none absolute inset-x-4 bottom-10 flex items-end gap-2">
          <span className="text-lg leading-none text-slate-400">×</span>
          <span className="flex-1 border-b border-slate-400" />
        </div>
        <p
          aria-hidden
          className="pointer-events-none absolute inset-x-0 bottom-3 text-center text-xs text-slate-500"
        >
          Sign above
        </p>
        <canvas
          ref={canvasRef}
          role="img"
          aria-label={empty ? `${label}: not signed yet` : `${label}: signed`}
          className={`absolute inset-0 size-full touch-none select-none ${disabled ? 'cursor-not-allowed' : 'cursor-crosshair'}`}
          onPointerDown={handlePointerDown}
          onPointerMove={handlePointerMove}
          onPointerUp={handlePointerEnd}
          onPointerCancel={handlePointerEnd}
          onLostPointerCapture={handlePointerEnd}
          // A long press would otherwise open the phone's context menu mid-signature.
          onContextMenu={(event) => event.preventDefault()}
        />
      </div>
      <p id={statusId} className="sr-only" aria-live="polite">
        {empty ? 'No signature yet.' : 'Signature captured.'}
      </p>
    </div>
  );
}

/**
 * The strokes cropped to their bounds plus a margin: the empty pad around a signature would
 * otherwise shrink it wherever it is printed (the audit packet fits it in a box).
 */
function exportSignature(canvas: HTMLCanvasElement, strokes: Point[][]): string {
  const rect = canvas.getBoundingClientRect();
  const ratio = rect.width > 0 ? canvas.width / rect.width : 1;
  const points = strokes.flat();
  const margin = LINE_WIDTH * 2;
  const left = Math.max(0, Math.min(...points.map((p) => p.x)) - margin);
  const top = Math.max(0, Math.min(...points.map((p) => p.y)) - margin);
  const right = Math.min(rect.width, Math.max(...points.map((p) => p.x)) + margin);
  const bottom = Math.min(rect.height, Math.max(...points.map((p) => p.y)) + margin);
  const cropped = document.createElement('canvas');
  cropped.width = Math.max(1, Math.round((right - left) * ratio));
  cropped.height = Math.max(1, Math.round((bottom - top) * ratio));
  const ctx = cropped.getContext('2d');
  if (!ctx) return canvas.toDataURL('image/png');
  ctx.drawImage(
    canvas,
    left * ratio,
    top * ratio,
    cropped.width,
    cropped.height,
    0,
    0,
    cropped.width,
    cropped.height,
  );
  return cropped.toDataURL('image/png');
}

function midpoint(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

function setInk(ctx: CanvasRenderingContext2D) {
  ctx.strokeStyle = INK;
  ctx.fillStyle = INK;
  ctx.lineWidth = LINE_WIDTH;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
}

/**
 * The curve up to point `i`: from the midpoint before the previous point to the midpoint after
 * it, bent through the previous point. Joined midpoint to midpoint, the segments form one smooth
 * line instead of the corners that straight lines between samples make.
 */
function drawSegment(ctx: CanvasRenderingContext2D, stroke: Point[], i: number) {
  const previous = stroke[i - 1];
  const current = stroke[i];
  if (!previous || !current) return;
  const start = i >= 2 ? midpoint(stroke[i - 2]!, previous) : previous;
  const end = midpoint(previous, current);
  setInk(ctx);
  ctx.beginPath();
  ctx.moveTo(start.x, start.y);
  ctx.quadraticCurveTo(previous.x, previous.y, end.x, end.y);
  ctx.stroke();
}

/** The last half segment to the lift-off point, or a dot for a tap (the "i" and "." of a name). */
function drawStrokeEnd(ctx: CanvasRenderingContext2D, stroke: Point[]) {
  setInk(ctx);
  const last = stroke.at(-1);
  const previous = stroke.at(-2);
  if (!last) return;
  if (!previous) {
    ctx.beginPath();
    ctx.arc(last.x, last.y, LINE_WIDTH / 2, 0, Math.PI * 2);
    ctx.fill();
    return;
  }
  const start = midpoint(previous, last);
  ctx.beginPath();
  ctx.moveTo(start.x, start.y);
  ctx.lineTo(last.x, last.y);
  ctx.stroke();
}

function drawStroke(ctx: CanvasRenderingContext2D, stroke: Point[]) {
  for (let i = 1; i < stroke.length; i++) drawSegment(ctx, stroke, i);
  drawStrokeEnd(ctx, stroke);
}
