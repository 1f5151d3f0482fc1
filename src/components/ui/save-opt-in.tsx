import './threshold-control.css';
import { useId } from 'react';
import { useSavingEnabled } from '@/storage/use-saved-predictions';

/** The switch that saves form predictions in this browser (off by default) and what it means. */
export function SaveOptIn() {
  const id = useId();
  const [on, setOn] = useSavingEnabled();
  return (
    <div className="save-opt-in">
      <input id={id} type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} />{' '}
      <label htmlFor={id}>Keep a history on this computer</label>
      <p className="muted small">
        {on ? 'On: each' : 'Off. When on, each'} prediction made in a form is kept in this browser (IndexedDB) with its inputs and reference; nothing
        leaves the browser. Anyone using this browser profile can read it. <a href="#/history">History</a>
      </p>
    </div>
  );
}
