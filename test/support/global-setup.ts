import { resetAudit } from './log-audit';

export default function globalSetup(): void {
  resetAudit();
}
