import { useEffect, useRef, useState } from 'react';

import type { CameraReader } from '../shell/services.context';

export interface CameraScannerProps {
  reader: CameraReader;
  onScan(text: string): void;
  onClose(): void;
}

/**
 * Reads barcodes from the camera for a page without a scanner: frames of the video go to the
 * WebAssembly reader until one holds a barcode, which then arrives exactly like a wedge scan.
 */
export function CameraScanner({ reader, onScan, onClose }: CameraScannerProps) {
  const video = useRef<HTMLVideoElement>(null);
  const [problem, setProblem] = useState<string | undefined>();
  const latest = useRef(onScan);
  latest.current = onScan;

  useEffect(() => {
    let stream: MediaStream | undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const canvas = document.createElement('canvas');

    const readFrame = async () => {
      const element = video.current;
      if (stopped || element === null) return;
      if (element.videoWidth > 0) {
        canvas.width = element.videoWidth;
        canvas.height = element.videoHeight;
        const context = canvas.getContext('2d', { willReadFrequently: true });
        context?.drawImage(element, 0, 0);
        const frame = context?.getImageData(0, 0, canvas.width, canvas.height);
        const texts = frame === undefined ? [] : await reader(frame);
        if (!stopped && texts[0] !== undefined) {
          latest.current(texts[0]);
          return;
        }
      }
      timer = setTimeout(() => void readFrame(), 150);
    };

    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (media) => {
        stream = media;
        if (stopped || video.current === null) return;
        video.current.srcObject = media;
        await video.current.play();
        await readFrame();
      })
      .catch((error: unknown) =>
        setProblem(
          `The camera could not be opened: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    return () => {
      stopped = true;
      clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [reader]);

  return (
    <div className="camera" role="dialog" aria-modal="true" aria-labelledby="camera-heading">
      <h2 id="camera-heading">Camera scanning</h2>
      <p>Hold the label's barcode in front of the camera.</p>
      <video ref={video} className="camera__video" muted playsInline aria-label="Camera picture" />
      {problem !== undefined && (
        <p className="hint hint--error" role="alert">
          {problem}
        </p>
      )}
      <button type="button" className="button button--secondary" onClick={onClose}>
        Close camera
      </button>
    </div>
  );
}
