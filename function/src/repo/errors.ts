// Errors of the repository stage. Messages name the claim field at fault and never carry
// credentials (see redact in git.ts).
export class RepositoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RepositoryError';
  }
}
