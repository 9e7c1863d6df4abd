import { PATHS, QUERY } from '../page-protocol';

/** The page's view as its address keeps it, so that a link shows the same view to whoever opens it. */
export class PageState {
  private constructor(readonly query: URLSearchParams) {}

  static fromLocation(): PageState {
    const query = new URLSearchParams(window.location.search);
    // The server took the token already (it answers ?token= with a cookie and a redirect).
    query.delete(QUERY.token);
    return new PageState(query);
  }

  get(name: string): string | undefined {
    return this.query.get(name) ?? undefined;
  }

  /** A new state with these parameters set (undefined: removed). */
  with(changes: Readonly<Record<string, string | undefined>>): PageState {
    const query = new URLSearchParams(this.query);
    for (const [name, value] of Object.entries(changes)) {
      if (value === undefined || value === '') query.delete(name);
      else query.set(name, value);
    }
    return new PageState(query);
  }

  /** Where the page's live stream is for this view. */
  streamUrl(): string {
    const search = this.query.toString();
    return `${PATHS.stream}${search === '' ? '' : `?${search}`}`;
  }

  /** The address of the page for this view. */
  pageUrl(): string {
    const search = this.query.toString();
    return `${window.location.pathname}${search === '' ? '' : `?${search}`}`;
  }

  equals(other: PageState): boolean {
    return this.query.toString() === other.query.toString();
  }
}
