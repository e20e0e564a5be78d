// The render layer's public face: plan, drift and apply-report views in text, markdown and JSON, all built
// only from the versioned JSON model, so the CLI, CI comments, --json and MCP can never disagree.

export { renderPlanText, renderDriftText, driftActions, type TextOptions } from './plan-text.js';
export { renderPlanMarkdown, renderDriftMarkdown, MARKDOWN_MAX_LENGTH, type MarkdownOptions } from './plan-markdown.js';
export { renderPlanJson, renderApplyReportJson, PLAN_FORMAT_VERSION, APPLY_REPORT_FORMAT_VERSION } from './json.js';
export { renderApplyReportText, renderApplyReportMarkdown, applySummaryLine, countByStatus } from './apply-report.js';
export { summaryLine, formatValue, formatDuration } from './format.js';
