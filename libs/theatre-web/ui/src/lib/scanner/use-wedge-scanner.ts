import { useEffect, useRef } from 'react';

import type { WedgeTimings } from '@implant-trace/theatre-web-domain';
import { DEFAULT_WEDGE_TIMINGS, WedgeBurstDetector } from '@implant-trace/theatre-web-domain';

type TextField = HTMLInputElement | HTMLTextAreaElement;

function isTextField(element: Element | null): element is TextField {
  return element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement;
}

/** Sets a field's value so that React's onChange sees it, as if the person had typed it. */
function restoreValue(field: TextField, value: string): void {
  const prototype =
    field instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Catches keyboard-wedge scans wherever the focus is. The characters of a burst go into the
 * focused field first (nobody can tell a scan from typing by its first key); once the burst is
 * known to be a scan, the field gets back what it held before, and the scan goes to `onScan`.
 */
export function useWedgeScanner(
  onScan: (text: string) => void,
  onBrokenScan: () => void,
  timings: WedgeTimings = DEFAULT_WEDGE_TIMINGS,
): void {
  const latest = useRef(onScan);
  latest.current = onScan;
  const latestBroken = useRef(onBrokenScan);
  latestBroken.current = onBrokenScan;

  useEffect(() => {
    const detector = new WedgeBurstDetector(timings);
    let before: { field: TextField; value: string } | undefined;
    let lastAt = Number.NEGATIVE_INFINITY;
    let idleTimer: ReturnType<typeof setTimeout> | undefined;

    const deliver = (text: string) => {
      if (before !== undefined) restoreValue(before.field, before.value);
      before = undefined;
      latest.current(text);
    };

    const onKeyDown = (event: KeyboardEvent) => {
      const at = performance.now();
      if (at - lastAt > timings.maxInterKeyMs) {
        const focused = document.activeElement;
        before = isTextField(focused) ? { field: focused, value: focused.value } : undefined;
      }
      lastAt = at;
      const decision = detector.keystroke(event, at);
      if (decision.kind === 'scan' || decision.kind === 'broken-scan') {
        // The suffix of a scan must not submit a form or move the focus.
        event.preventDefault();
        if (decision.kind === 'scan') deliver(decision.text);
        else latestBroken.current();
      }
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        const ended = detector.idle(performance.now());
        if (ended.kind === 'scan') deliver(ended.text);
      }, timings.maxInterKeyMs * 4);
    };

    window.addEventListener('keydown', onKeyDown, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      clearTimeout(idleTimer);
    };
  }, [timings]);
}
