"use client";

import { useTranslations } from "next-intl";
import type { RefObject } from "react";
import type { CameraState } from "./use-qr-camera";

type Props = {
  camera: CameraState;
  videoRef: RefObject<HTMLVideoElement | null>;
  start: () => Promise<void>;
  stop: () => void;
};

export function CameraPanel({ camera, videoRef, start, stop }: Props) {
  const t = useTranslations("checkin");
  return (
    <section className="camera" aria-label={t("cameraLabel")}>
      <video
        ref={videoRef}
        muted
        playsInline
        className={camera === "on" ? "camera-video" : "camera-video hidden"}
        aria-hidden="true"
      />
      {camera === "on" ? (
        <button type="button" className="button button-secondary" onClick={stop}>
          {t("cameraStop")}
        </button>
      ) : (
        <button
          type="button"
          className="button camera-start"
          onClick={() => void start()}
          disabled={camera === "starting"}
        >
          {t("cameraStart")}
        </button>
      )}
      {(camera === "denied" || camera === "unavailable") && (
        <p className="form-message error">{t(camera === "denied" ? "cameraDenied" : "cameraUnavailable")}</p>
      )}
    </section>
  );
}
