import { useNavigate } from "@remix-run/react";
import {
  createContext,
  type ReactNode,
  startTransition,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import type { AgentView, CallView, PbxStatus } from "../../../worker/calls/call-view";
import { ApiRequestError, callApi, errorMessage } from "../../lib/api-client";
import { otherNumber } from "../../lib/call-basics";
import type { SelectableAgentStatus } from "../../lib/call-format";
import { useRecordEvents } from "../../lib/realtime-context";
import type { RealtimeStatus } from "../../lib/use-realtime";

/*
 * The signed-in member's phone: their agent status and extension, their live calls (the call
 * bar), calls waiting for a wrap-up, incoming calls to pop, and the calls ringing for the rest
 * of the team. It starts from the shell loader, follows `call.updated` / `agent.status`
 * events, and takes the server's view again whenever it has one: a reloaded shell, the live
 * connection coming back, and every half minute while calls ring for the team (an event that
 * never arrived would otherwise leave a chip behind).
 */

export interface PhoneSnapshot {
  /** The member's agent record, or null when they have no extension. */
  agent: AgentView | null;
  /** Their live calls and the finished ones waiting for a wrap-up when the page loaded. */
  calls: CallView[];
  /** Inbound calls ringing for someone else (or nobody yet) when the page loaded. */
  team: CallView[];
}

export interface PhoneContextValue {
  me: string;
  agent: AgentView | null;
  /** May place and control calls (calls:write). */
  canCall: boolean;
  /** May create contacts (crm:write). */
  canCreateContacts: boolean;
  /** Live calls that are the member's, oldest first. */
  liveCalls: CallView[];
  /** Ended calls waiting for notes and a disposition (kept on the server), oldest first. */
  wrapUps: CallView[];
  /** Inbound calls ringing for someone else on the team (or waiting for an agent), oldest first. */
  teamRinging: CallView[];
  /** The newest inbound call ringing (or just answered) at the member's phone, not dismissed. */
  pops: CallView[];
  /** Whether the phone system is connected (null until known). */
  pbxOnline: boolean | null;
  /** Calls the member started recording from here (the API does not say). */
  recording: ReadonlySet<string>;
  setRecording(callId: string, on: boolean): void;
  dismissPop(callId: string): void;
  /** Keeps what was typed in a wrap-up on the server (it survives a reload). */
  saveWrapUpDraft(
    call: CallView,
    draft: { notes: string | null; disposition: string | null },
  ): Promise<void>;
  finishWrapUp(
    call: CallView,
    action: "complete" | "skip",
    fields?: { notes: string | null; disposition: string | null },
  ): Promise<void>;
  skipAllWrapUps(): Promise<void>;
  /** Click-to-call; resolves with an error message, or null once the phone rings. */
  placeCall(to: string, contactId: string | null): Promise<string | null>;
  setStatus(status: SelectableAgentStatus): Promise<string | null>;
  /** PATCH /calls/{id}; retries once when only the phone system changed the call meanwhile. */
  updateCall(
    call: CallView,
    changes: { notes?: string | null; disposition?: string | null; contactId?: string | null },
  ): Promise<CallView>;
  /** Creates a contact with the call's number, links the call to it and opens it. */
  createContactFor(call: CallView): Promise<string | null>;
  /** Remembers a newer version of a call (from an API answer). */
  remember(call: CallView): void;
}

const PhoneContext = createContext<PhoneContextValue | null>(null);

/** The phone, or null outside the app shell (and for members who cannot take calls). */
/**
 * Whether the member has a call bar: an agent (a member with an extension) always, anyone
 * else while they have a live call or a wrap-up.
 */
export function hasCallBar(phone: PhoneContextValue): boolean {
  return phone.agent !== null || phone.liveCalls.length > 0 || phone.wrapUps.length > 0;
}

export function usePhone(): PhoneContextValue | null {
  return useContext(PhoneContext);
}

interface State {
  /** The member's live calls and their finished calls waiting for a wrap-up. */
  calls: Map<string, CallView>;
  /** Other inbound calls still ringing in the organization. */
  team: Map<string, CallView>;
  /** When (Date.now()) each team call was last changed here, to spare news the server's view predates. */
  teamTouched: Map<string, number>;
  dismissedPops: Set<string>;
}

function isMine(call: CallView, me: string, extension: string | null): boolean {
  if (call.agent) return call.agent.id === me;
  return extension !== null && call.extension === extension;
}

/** A finished call stays while its wrap-up (kept on the server) is pending. */
function awaitsWrapUp(call: CallView): boolean {
  return call.endedAt !== null && call.wrapUp?.status === "pending";
}

function withCall(state: State, call: CallView, me: string, extension: string | null): State {
  const known = state.calls.get(call.id) ?? state.team.get(call.id);
  if (known && known.version >= call.version) return state;
  const calls = new Map(state.calls);
  const team = new Map(state.team);
  const mine = isMine(call, me, extension);
  // A queue moved on to the next agent, or the wrap-up is done: it is not ours any more.
  if (mine && (call.endedAt === null || awaitsWrapUp(call))) calls.set(call.id, call);
  else calls.delete(call.id);
  const teamTouched = new Map(state.teamTouched);
  if (!mine && isRingingForTeam(call)) {
    team.set(call.id, call);
    teamTouched.set(call.id, Date.now());
  } else {
    team.delete(call.id);
    teamTouched.delete(call.id);
  }
  return { ...state, calls, team, teamTouched };
}

/** A team call the server's view leaves out is kept only if news of it came in this recently. */
const TEAM_GRACE_MS = 10_000;

/**
 * The server's list of calls ringing for the team replaces ours: calls it has are taken (newer
 * versions win), calls it lacks are gone (answered, ended or abandoned while we missed the
 * event), unless we heard of them after the list was read.
 */
function withTeamView(
  state: State,
  ringing: CallView[],
  me: string,
  extension: string | null,
  now = Date.now(),
): State {
  let next = state;
  for (const call of ringing) next = withCall(next, call, me, extension);
  const listed = new Set(ringing.map((call) => call.id));
  const stale = [...next.team.keys()].filter(
    (id) => !listed.has(id) && now - (next.teamTouched.get(id) ?? 0) > TEAM_GRACE_MS,
  );
  if (stale.length === 0) return next;
  const team = new Map(next.team);
  const teamTouched = new Map(next.teamTouched);
  for (const id of stale) {
    team.delete(id);
    teamTouched.delete(id);
  }
  return { ...next, team, teamTouched };
}

function isRingingForTeam(call: CallView): boolean {
  return call.endedAt === null && call.direction === "inbound" && call.status === "ringing";
}

function initialState(snapshot: PhoneSnapshot, me: string): State {
  const extension = snapshot.agent?.extension ?? null;
  let state: State = {
    calls: new Map(),
    team: new Map(),
    teamTouched: new Map(),
    dismissedPops: new Set(),
  };
  for (const call of snapshot.calls) state = withCall(state, call, me, extension);
  return withTeamView(state, snapshot.team, me, extension);
}

/** How often the team's ringing calls are checked against the server while there are some. */
const TEAM_RECHECK_MS = 30_000;

const byStart = (a: CallView, b: CallView) => a.startedAt.localeCompare(b.startedAt);

/** First name and last name from a caller ID name; the number when there is none. */
function contactNameFor(call: CallView): { firstName: string; lastName?: string } {
  const name = call.direction === "inbound" ? call.fromName?.trim() : null;
  if (name && /[A-Za-z]/.test(name)) {
    const [firstName = name, ...rest] = name.split(/\s+/);
    return rest.length > 0 ? { firstName, lastName: rest.join(" ") } : { firstName };
  }
  return { firstName: otherNumber(call) };
}

export function PhoneProvider({
  me,
  snapshot,
  canCall,
  canCreateContacts,
  realtimeStatus,
  children,
}: {
  me: string;
  snapshot: PhoneSnapshot;
  canCall: boolean;
  canCreateContacts: boolean;
  realtimeStatus: RealtimeStatus;
  children: ReactNode;
}) {
  const [agent, setAgent] = useState<AgentView | null>(snapshot.agent);
  const [state, setState] = useState<State>(() => initialState(snapshot, me));
  const [recording, setRecordingIds] = useState<ReadonlySet<string>>(new Set());
  const extension = agent?.extension ?? null;
  const navigate = useNavigate();

  const remember = useCallback(
    (call: CallView) => setState((current) => withCall(current, call, me, extension)),
    [me, extension],
  );

  // A revalidated shell brings the server's view: newer versions win. As transitions, like
  // every update that does not come from the person's own action here: the call bar and
  // screen-pops load lazily, and an urgent update before they hydrate would make React throw
  // their server HTML away (React error #421).
  useEffect(() => startTransition(() => setAgent(snapshot.agent)), [snapshot]);
  useEffect(() => {
    startTransition(() => {
      for (const call of snapshot.calls) remember(call);
      setState((current) => withTeamView(current, snapshot.team, me, extension));
    });
  }, [snapshot, remember, me, extension]);

  /** Takes the server's live calls: newer versions, and the team's ringing calls as listed. */
  const takeLive = useCallback(
    (live: CallView[]) =>
      setState((current) => {
        let next = current;
        for (const call of live) next = withCall(next, call, me, extension);
        return withTeamView(next, live.filter(isRingingForTeam), me, extension);
      }),
    [me, extension],
  );

  // While calls ring for the team, check now and then that they still do (an event that
  // never arrived would leave a chip behind until the next reload).
  const teamRinging = state.team.size > 0;
  const hasExtension = agent !== null;
  useEffect(() => {
    if (!teamRinging || !hasExtension) return;
    const controller = new AbortController();
    const timer = setInterval(() => {
      if (document.visibilityState !== "visible") return;
      callApi<CallView[]>("/calls/live", { signal: controller.signal })
        .then(({ data }) => {
          if (data) startTransition(() => takeLive(data));
        })
        .catch(() => {});
    }, TEAM_RECHECK_MS);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [teamRinging, hasExtension, takeLive]);

  const [pbxOnline, setPbxOnline] = useState<boolean | null>(null);
  useEffect(() => {
    if (!hasExtension) return;
    const controller = new AbortController();
    callApi<PbxStatus>("/pbx/status", { signal: controller.signal })
      .then(({ data }) =>
        startTransition(() => setPbxOnline(data ? data.bridgeOnline && data.ariConnected : null)),
      )
      .catch(() => {});
    return () => controller.abort();
  }, [hasExtension]);

  useRecordEvents((event) => {
    if (event.type === "call.updated") remember(event.call);
    else if (event.type === "agent.status" && event.agent.userId === me) setAgent(event.agent);
    else if (event.type === "pbx.status") {
      setPbxOnline(event.status.bridgeOnline && event.status.ariConnected);
    }
  });

  // After a reconnect, events may be missing: reconcile with the server.
  const wasLive = useRef(false);
  const callsRef = useRef(state.calls);
  callsRef.current = state.calls;
  const teamRef = useRef(state.team);
  teamRef.current = state.team;
  useEffect(() => {
    if (realtimeStatus !== "live") return;
    if (!wasLive.current) {
      wasLive.current = true;
      return;
    }
    let cancelled = false;
    (async () => {
      try {
        const live = (await callApi<CallView[]>("/calls/live")).data ?? [];
        if (cancelled) return;
        takeLive(live);
        const gone = [...callsRef.current.values(), ...teamRef.current.values()].filter(
          (call) => call.endedAt === null && !live.some((other) => other.id === call.id),
        );
        for (const call of gone) {
          const fresh = (await callApi<CallView>(`/calls/${call.id}`)).data;
          if (fresh && !cancelled) remember(fresh);
        }
      } catch {
        // The next event or reload will tell.
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [realtimeStatus, remember, takeLive]);

  const updateCall = useCallback<PhoneContextValue["updateCall"]>(
    async (call, changes) => {
      const patch = (version: number) =>
        callApi<CallView>(`/calls/${call.id}`, { method: "PATCH", body: { version, ...changes } });
      let answer: Awaited<ReturnType<typeof patch>>;
      try {
        answer = await patch(call.version);
      } catch (error) {
        if (!(error instanceof ApiRequestError) || error.status !== 409) throw error;
        // The phone system moved the call on (a recording landed); retry unless a person
        // changed what we are about to change.
        const fresh = (await callApi<CallView>(`/calls/${call.id}`)).data;
        if (
          !fresh ||
          fresh.notes !== call.notes ||
          fresh.disposition !== call.disposition ||
          (changes.contactId !== undefined && fresh.contact !== null)
        ) {
          throw error;
        }
        answer = await patch(fresh.version);
      }
      if (!answer.data) throw new Error("The call was not saved.");
      remember(answer.data);
      return answer.data;
    },
    [remember],
  );

  const value = useMemo<PhoneContextValue>(() => {
    const calls = [...state.calls.values()];
    const liveCalls = calls.filter((call) => call.endedAt === null).sort(byStart);
    const wrapUps = calls
      .filter(awaitsWrapUp)
      .sort((a, b) => (a.endedAt ?? "").localeCompare(b.endedAt ?? ""));
    // One pop-up at a time: the newest inbound call not dismissed.
    const pops = liveCalls
      .filter(
        (call) =>
          call.direction === "inbound" &&
          !state.dismissedPops.has(call.id) &&
          (call.status === "ringing" || call.status === "answered" || call.status === "held"),
      )
      .slice(-1);
    const teamRinging = [...state.team.values()].sort(byStart);
    return {
      me,
      agent,
      canCall,
      canCreateContacts,
      teamRinging,
      pbxOnline,
      liveCalls,
      wrapUps,
      pops,
      recording,
      remember,
      updateCall,
      setRecording(callId, on) {
        setRecordingIds((current) => {
          const next = new Set(current);
          if (on) next.add(callId);
          else next.delete(callId);
          return next;
        });
      },
      dismissPop(callId) {
        setState((current) => ({
          ...current,
          dismissedPops: new Set([...current.dismissedPops, callId]),
        }));
      },
      async saveWrapUpDraft(call, draft) {
        const { data } = await callApi<CallView>(`/calls/${call.id}/wrap-up/draft`, {
          method: "PUT",
          body: draft,
        });
        if (data) remember(data);
      },
      async finishWrapUp(call, action, fields) {
        const { data } = await callApi<CallView>(
          `/calls/${call.id}/wrap-up`,
          { method: "POST", body: { action, ...fields } },
          "The wrap-up was not saved.",
        );
        if (data) remember(data);
      },
      async skipAllWrapUps() {
        await callApi("/calls/wrap-ups/skip", { method: "POST" }, "The wrap-ups were not skipped.");
        setState((current) => ({
          ...current,
          calls: new Map([...current.calls].filter(([, call]) => call.endedAt === null)),
        }));
      },
      async placeCall(to, contactId) {
        try {
          const { data } = await callApi<CallView>(
            "/calls",
            { method: "POST", body: { to, contactId } },
            "The call could not be placed.",
          );
          if (data) {
            // Ours by definition, even before the first event says so.
            setState((current) => withCall(current, data, me, data.extension));
          }
          return null;
        } catch (error) {
          return errorMessage(error, "The call could not be placed.");
        }
      },
      async setStatus(status) {
        try {
          const { data } = await callApi<AgentView>(
            "/call-center/status",
            { method: "PUT", body: { status } },
            "The status was not saved.",
          );
          if (data) setAgent(data);
          return null;
        } catch (error) {
          return errorMessage(error, "The status was not saved.");
        }
      },
      async createContactFor(call) {
        try {
          const { data: contact } = await callApi<{ id: string }>(
            "/contacts",
            {
              method: "POST",
              body: {
                ...contactNameFor(call),
                phones: [{ raw: otherNumber(call), primary: true }],
              },
            },
            "The contact could not be created.",
          );
          if (!contact) return "The contact could not be created.";
          const latest = state.calls.get(call.id) ?? call;
          try {
            await updateCall(latest, { contactId: contact.id });
          } catch (error) {
            navigate(`/app/contacts/${contact.id}`);
            return `The contact was created, but the call was not linked to it: ${errorMessage(error)}`;
          }
          setState((current) => ({
            ...current,
            dismissedPops: new Set([...current.dismissedPops, call.id]),
          }));
          navigate(`/app/contacts/${contact.id}`);
          return null;
        } catch (error) {
          return errorMessage(error, "The contact could not be created.");
        }
      },
    };
  }, [
    state,
    me,
    agent,
    canCall,
    canCreateContacts,
    pbxOnline,
    recording,
    remember,
    updateCall,
    navigate,
  ]);

  return <PhoneContext.Provider value={value}>{children}</PhoneContext.Provider>;
}
