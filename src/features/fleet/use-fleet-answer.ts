import { startTransition, useEffect, useState } from 'react';
import { errorMessage } from '@/domain/errors';
import type { FleetAnswers, FleetQuery, FleetSession } from '@/inference/client';

/**
 * The answer of a loaded log to one question, asked again whenever the question changes.
 * `undefined` until this session has answered (a new log forgets the old answers); the last
 * answer stays shown while the next is on its way. `query` null: nothing to ask yet.
 */
export function useFleetAnswer<K extends FleetQuery['kind']>(
  session: FleetSession | null,
  query: Extract<FleetQuery, { kind: K }> | null,
  onError: (message: string) => void,
): FleetAnswers[K] | undefined {
  const [answer, setAnswer] = useState<{ session: FleetSession; value: FleetAnswers[K] } | null>(null);
  // The question by value: a new object with the same fields asks nothing new.
  const key = query ? JSON.stringify(query) : null;
  useEffect(() => {
    if (!session || key === null) return;
    let live = true;
    session.ask(JSON.parse(key) as Extract<FleetQuery, { kind: K }>).then(
      (value) => live && startTransition(() => setAnswer({ session, value })),
      (e: unknown) => live && onError(errorMessage(e)),
    );
    return () => void (live = false);
    // onError is a state setter's wrapper: a new one each render asks nothing new.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session, key]);
  return answer && answer.session === session ? answer.value : undefined;
}
