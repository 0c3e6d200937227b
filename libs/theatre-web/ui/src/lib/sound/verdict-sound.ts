import type { VerdictSound } from '@implant-trace/theatre-web-domain';

export interface SoundPlayer {
  play(sound: VerdictSound): void;
}

/** Tones (Hz, ms) per verdict: a rising pair for OK, a repeated low-high alarm for a stop. */
const PATTERNS: Record<VerdictSound, [number, number][]> = {
  confirm: [
    [880, 120],
    [1320, 160],
  ],
  warning: [
    [660, 250],
    [660, 250],
  ],
  alarm: [
    [440, 220],
    [880, 220],
    [440, 220],
    [880, 220],
    [440, 220],
    [880, 400],
  ],
};

/** Plays through the Web Audio API; silent (never failing) where the browser has none. */
export class WebAudioSoundPlayer implements SoundPlayer {
  private context: AudioContext | undefined;

  play(sound: VerdictSound): void {
    if (typeof AudioContext === 'undefined') return;
    this.context ??= new AudioContext();
    const context = this.context;
    let at = context.currentTime;
    for (const [frequency, ms] of PATTERNS[sound]) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = sound === 'alarm' ? 'square' : 'sine';
      oscillator.frequency.value = frequency;
      gain.gain.value = 0.2;
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + ms / 1000);
      at += ms / 1000 + 0.04;
    }
  }
}
