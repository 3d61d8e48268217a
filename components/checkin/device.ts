// What the scanner knows about the device it runs on: its id, its door token and its speaker.

export function deviceId(): string {
  let id = localStorage.getItem("guichet-device-id");
  if (!id) {
    id = `device-${crypto.randomUUID().slice(0, 8)}`;
    localStorage.setItem("guichet-device-id", id);
  }
  return id;
}

// A device without a staff account opens the link the back office gives for its token: /checkin/<slug>#device=gch_…
export function deviceToken(slug: string): string | null {
  const fromLink = /device=(gch_[A-Za-z0-9_-]{43})/.exec(window.location.hash)?.[1];
  if (fromLink) {
    localStorage.setItem(`guichet-device-token:${slug}`, fromLink);
    history.replaceState(null, "", window.location.pathname);
  }
  return localStorage.getItem(`guichet-device-token:${slug}`);
}

export function beep(admitted: boolean) {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = admitted ? 880 : 220;
    tone.type = admitted ? "sine" : "square";
    volume.gain.value = 0.15;
    tone.connect(volume).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + (admitted ? 0.15 : 0.5));
    tone.onended = () => void audio.close();
  } catch {
    // no sound on this device: the colours still say it
  }
}

export const REQUEST_TIMEOUT_MS = 4000;
