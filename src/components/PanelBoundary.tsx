import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  /** The panel's name as the learner sees it ("Runs", "Checkpoints"). */
  name: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
}

/**
 * Keeps one panel's failure inside that panel: a render error (a damaged stored record, a bug)
 * shows what went wrong and a way to try again, while every other panel and the run go on.
 * Without it React unmounts the whole page and the learner sees a blank tab.
 */
export class PanelBoundary extends Component<Props, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`The ${this.props.name} panel failed:`, error, info.componentStack);
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section className="panel panel-failed" role="region" aria-label={`${this.props.name} (failed)`}>
        <h2>{this.props.name}</h2>
        <p role="alert">
          This panel stopped working: {error.message.slice(0, 300)}. The rest of the app still works, and nothing you made
          was lost.
        </p>
        <p className="hint">
          If it fails again after Try again or a reload, a record stored in this browser for this panel may be damaged;
          the error is in the browser's console for a bug report.
        </p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </section>
    );
  }
}
