import { useEffect, useRef } from 'react';

import type { VerdictPresentation } from '@implant-trace/theatre-web-domain';

import type { ScanCheck } from '../api/api.types';

export interface VerdictOverlayProps {
  presentation: VerdictPresentation;
  check?: ScanCheck;
  detail?: string;
  onAcknowledge(): void;
}

/**
 * The verdict over the whole screen: its colour, its word in the largest type on the page, what
 * to do, and (played by the caller) its sound, so no one has to see colour to read it. A verdict
 * that needs acknowledging keeps the page behind it unreachable until the button is pressed.
 */
export function VerdictOverlay({
  presentation,
  check,
  detail,
  onAcknowledge,
}: VerdictOverlayProps) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  const device = check?.device;
  return (
    <div
      className={`verdict verdict--${presentation.tone}`}
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="verdict-headline"
      aria-describedby="verdict-instruction"
      data-verdict={presentation.verdict}
    >
      <p className="verdict__symbol" aria-hidden="true">
        {presentation.tone === 'go' ? '✔' : presentation.tone === 'stop' ? '✖' : '!'}
      </p>
      <h1 id="verdict-headline" className="verdict__headline">
        {presentation.headline}
        {presentation.qualifier !== undefined && (
          <span className="verdict__qualifier"> ({presentation.qualifier})</span>
        )}
      </h1>
      <p id="verdict-instruction" className="verdict__instruction">
        {presentation.instruction}
      </p>
      {device !== undefined && (
        <p className="verdict__device">
          {device.manufacturer} {device.brand}
          {device.model === undefined ? '' : ` ${device.model}`}
          {check?.udi?.lotNumber === undefined ? '' : `, lot ${check.udi.lotNumber}`}
          {check?.udi?.serialNumber === undefined ? '' : `, serial ${check.udi.serialNumber}`}
        </p>
      )}
      {(check?.recalls ?? []).map((recall) => (
        <p key={recall.recallId} className="verdict__recall">
          Recall class {recall.class}: {recall.title}
          {recall.match === 'possible'
            ? ' (possible match: the label lacks a field the recall names)'
            : ''}
        </p>
      ))}
      {(check?.warnings ?? []).map((warning, index) => (
        <p key={index} className="verdict__warning">
          {warning.message}
        </p>
      ))}
      {detail !== undefined && <p className="verdict__warning">{detail}</p>}
      <button ref={button} type="button" className="button button--large" onClick={onAcknowledge}>
        {presentation.acknowledgeLabel}
      </button>
    </div>
  );
}
