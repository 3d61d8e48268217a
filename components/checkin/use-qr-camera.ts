import jsQR from "jsqr";
import { useCallback, useEffect, useRef, useState } from "react";

export type CameraState = "off" | "starting" | "on" | "denied" | "unavailable";

const SAME_CODE_PAUSE_MS = 3000;

// The camera: frames go through jsQR; the same code is not sent twice within a few seconds.
export function useQrCamera(onCode: (code: string) => void) {
  const [camera, setCamera] = useState<CameraState>("off");
  const videoRef = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const lastCodeRef = useRef<{ code: string; at: number } | null>(null);

  useEffect(() => {
    if (camera !== "on") return;
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    let frame = 0;
    const tick = () => {
      const video = videoRef.current;
      if (video && context && video.readyState >= 2) {
        const scale = Math.min(1, 640 / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
        const found = jsQR(pixels, canvas.width, canvas.height, { inversionAttempts: "dontInvert" });
        const last = lastCodeRef.current;
        if (found?.data && !(last && last.code === found.data && Date.now() - last.at < SAME_CODE_PAUSE_MS)) {
          lastCodeRef.current = { code: found.data, at: Date.now() };
          onCode(found.data);
        }
      }
      frame = window.setTimeout(tick, 120);
    };
    tick();
    return () => window.clearTimeout(frame);
  }, [camera, onCode]);

  const start = useCallback(async () => {
    if (!navigator.mediaDevices?.getUserMedia) return setCamera("unavailable");
    setCamera("starting");
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      streamRef.current = stream;
      if (videoRef.current) {
        videoRef.current.srcObject = stream;
        await videoRef.current.play().catch(() => {});
      }
      setCamera("on");
    } catch (error) {
      setCamera((error as Error).name === "NotAllowedError" ? "denied" : "unavailable");
    }
  }, []);

  const stop = useCallback(() => {
    streamRef.current?.getTracks().forEach((track) => track.stop());
    streamRef.current = null;
    setCamera("off");
  }, []);

  useEffect(() => () => streamRef.current?.getTracks().forEach((track) => track.stop()), []);

  return { camera, videoRef, start, stop };
}
