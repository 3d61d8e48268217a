import { useCallback, useRef, useState } from "react";
import type { GroupMemberOutcome } from "@/lib/checkin/group-check-in";
import { answerOffline, memberNonce } from "@/lib/checkin/offline";
import type { GroupMember, GroupProgress } from "@/lib/checkin/scan";
import { beep, deviceId, REQUEST_TIMEOUT_MS } from "./device";
import { loadSnapshot, loadSnapshots, queueScan } from "./offline-store";
import type { DoorCredentials } from "./use-door-access";
import type { Answer, SnapshotSync } from "./use-snapshot-sync";

export type Scan = { code?: string; ticketId?: string };

const ANSWER_SHOWN_MS = 2500;

type MemberAnswer = GroupMemberOutcome | (Answer & { ticketId: string });

/**
 * The others of a scanned ticket's order, offered to staff until the next scan: who is in, and what
 * the last "admit" did (how many got in, whom the door refused and why, whether judged offline).
 */
export type GroupOffer = {
  viaTicketId: string;
  group: GroupProgress;
  outcome: {
    admitted: number;
    refused: (GroupMember & { result: MemberAnswer["result"] })[];
    offline: boolean;
  } | null;
};

function offerOf(answer: Answer): GroupOffer | null {
  if (answer.result !== "admitted" && answer.result !== "already_checked_in") return null;
  if (!answer.group?.others.some((member) => !member.checkedIn)) return null;
  return { viaTicketId: answer.ticketId, group: answer.group, outcome: null };
}

// Each scan asks the server, or judges on this device when the server does not answer, and shows
// the answer for a moment.
export function useCheckInAnswers(slug: string, { headers, refused }: DoorCredentials, sync: SnapshotSync) {
  const { setCounts, setOnline, absorb, snapshotRef, admittedHere, countQueued } = sync;
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [offer, setOffer] = useState<GroupOffer | null>(null);
  // Scans are handled one after the other, never dropped: a barcode scanner can be faster than the network.
  const line = useRef<Promise<void>>(Promise.resolve());

  const show = useCallback(
    (shown: Answer) => {
      setAnswer(shown);
      setOffer(offerOf(shown));
      setCounts(shown.counts);
      beep(shown.result === "admitted");
      setTimeout(() => setAnswer((current) => (current === shown ? null : current)), ANSWER_SHOWN_MS);
    },
    [setCounts],
  );

  const handle = useCallback(
    async (scan: Scan) => {
      const request = {
        edition: slug,
        ...scan,
        nonce: crypto.randomUUID(),
        deviceId: deviceId(),
        scannedAt: new Date().toISOString(),
      };
      try {
        const response = await fetch("/api/v1/checkin", {
          method: "POST",
          headers: { "content-type": "application/json", ...headers() },
          body: JSON.stringify(request),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        if (response.status === 401 || response.status === 403) await refused(response);
        else if (response.ok) {
          setOnline(true);
          const answered = (await response.json()) as Answer;
          show(answered);
          await absorb(answered);
        } else throw new Error(`HTTP ${response.status}`);
      } catch {
        // No answer from the server: judge on this device, and keep the scan for later.
        setOnline(false);
        const stored = snapshotRef.current ?? (await loadSnapshot(slug));
        if (!stored) return;
        const known = (await loadSnapshots()).map((other) => other.edition);
        const offline = await answerOffline(stored, scan, admittedHere.current, request.deviceId, new Date(), known);
        await queueScan({ ...request, offlineAdmitted: offline.result === "admitted" });
        await countQueued();
        show(offline);
      }
    },
    [slug, headers, refused, setOnline, show, absorb, snapshotRef, admittedHere, countQueued],
  );

  const submit = useCallback(
    (scan: Scan) => {
      line.current = line.current.then(() => handle(scan)).catch(() => {});
      return line.current;
    },
    [handle],
  );

  // The others staff ticked: one request for them all, or each judged and queued here when the
  // server does not answer, with the nonces the server would have used.
  const handleGroup = useCallback(
    async (viaTicketId: string, ticketIds: string[]) => {
      const request = {
        ticketIds,
        nonce: crypto.randomUUID(),
        deviceId: deviceId(),
        viaTicketId,
        scannedAt: new Date().toISOString(),
      };
      let answers: MemberAnswer[] = [];
      let offline = false;
      try {
        const response = await fetch(`/api/v1/checkin/${slug}/group`, {
          method: "POST",
          headers: { "content-type": "application/json", ...headers() },
          body: JSON.stringify(request),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        if (response.status === 401 || response.status === 403) return await refused(response);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        setOnline(true);
        answers = ((await response.json()) as { answers: GroupMemberOutcome[] }).answers;
        for (const answered of answers) if (answered.result !== "nonce_reused") await absorb(answered);
      } catch {
        setOnline(false);
        const stored = snapshotRef.current ?? (await loadSnapshot(slug));
        if (!stored) return;
        offline = true;
        answers = [];
        for (const [index, ticketId] of ticketIds.entries()) {
          const judged = await answerOffline(stored, { ticketId }, admittedHere.current, request.deviceId);
          await queueScan({
            edition: slug,
            ticketId,
            nonce: memberNonce(request.nonce, index),
            deviceId: request.deviceId,
            scannedAt: request.scannedAt,
            offlineAdmitted: judged.result === "admitted",
            viaTicketId,
          });
          answers.push({ ...judged, ticketId });
        }
        await countQueued();
      }
      const isIn = (answered: MemberAnswer) =>
        answered.result === "admitted" || answered.result === "already_checked_in";
      const latest = answers.findLast((answered) => "group" in answered && answered.group);
      const last = answers.at(-1);
      if (last && "counts" in last) setCounts(last.counts);
      beep(answers.every(isIn));
      setOffer((current) => {
        if (current?.viaTicketId !== viaTicketId) return current;
        const byTicket = new Map(answers.map((answered) => [answered.ticketId, answered]));
        const refusedMembers = current.group.others.flatMap((member) => {
          const answered = byTicket.get(member.ticketId);
          return answered && !isIn(answered) ? [{ ...member, result: answered.result }] : [];
        });
        // The list stays the scanned ticket's others: members let in are marked in, refused ones
        // leave it (the outcome names them); the count is the server's (or this device's) latest.
        const others = current.group.others
          .filter((member) => !refusedMembers.some((refused) => refused.ticketId === member.ticketId))
          .map((member) => {
            const answered = byTicket.get(member.ticketId);
            return answered && isIn(answered) ? { ...member, checkedIn: true } : member;
          });
        const counted = latest && "group" in latest && latest.group ? latest.group : current.group;
        return {
          viaTicketId,
          group: { inside: counted.inside, of: counted.of, others },
          outcome: {
            admitted: answers.filter((answered) => answered.result === "admitted").length,
            refused: refusedMembers,
            offline,
          },
        };
      });
    },
    [slug, headers, refused, setOnline, setCounts, absorb, snapshotRef, admittedHere, countQueued],
  );

  const admitOthers = useCallback(
    (viaTicketId: string, ticketIds: string[]) => {
      line.current = line.current.then(() => handleGroup(viaTicketId, ticketIds)).catch(() => {});
      return line.current;
    },
    [handleGroup],
  );

  const dismiss = useCallback(() => setAnswer(null), []);
  const closeOffer = useCallback(() => setOffer(null), []);

  return { answer, submit, dismiss, offer, admitOthers, closeOffer };
}
