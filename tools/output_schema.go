package tools

import "encoding/json"

// sendingStatusOutputSchema declares what structuredContent carries: Instantly's
// diagnostics and summary as documented (both nullable, both open to fields
// Instantly adds later), plus our analysis. It is written out by hand so that
// it says exactly what the API documents; the toolsnaps golden file makes any
// change to it a reviewed diff.
var sendingStatusOutputSchema = json.RawMessage(`{
  "type": "object",
  "required": ["diagnostics", "summary", "analysis"],
  "properties": {
    "diagnostics": {
      "type": ["object", "null"],
      "description": "Instantly's raw sending-status data. Some blocks are missing when the campaign is out of schedule; fields Instantly adds later are kept.",
      "additionalProperties": true,
      "properties": {
        "campaign_id": {"type": "string"},
        "subsequence_id": {"type": "string"},
        "last_updated": {"type": "string", "description": "ISO timestamp of this data"},
        "status": {"type": ["string", "null"], "description": "Sending-status code, e.g. healthy, daily_limit_met"},
        "issue_tracking": {
          "type": "object",
          "properties": {
            "current_status_code": {"type": ["string", "null"]},
            "issue_first_seen_at": {"type": ["string", "null"]},
            "consecutive_loops_with_issue": {"type": "number"},
            "last_healthy_send_at": {"type": ["string", "null"]}
          }
        },
        "accounts_summary": {
          "type": "object",
          "properties": {
            "total_connected": {"type": "number"},
            "available": {"type": "number"},
            "unavailable": {
              "type": "object",
              "properties": {
                "daily_limit_hit": {"type": "number"},
                "slow_ramp_limit_hit": {"type": "number"},
                "disconnected": {"type": "number"},
                "global_gap_not_met": {"type": "number"}
              }
            }
          }
        },
        "campaign_daily_limit": {
          "type": "object",
          "properties": {
            "limit": {"type": "number"},
            "sent": {"type": "number"},
            "limit_hit": {"type": "boolean"}
          }
        },
        "new_lead_limit": {
          "type": "object",
          "properties": {
            "enabled": {"type": "boolean"},
            "limit": {"type": ["number", "null"]},
            "contacted": {"type": "number"},
            "limit_hit": {"type": "boolean"}
          }
        },
        "schedule_status": {
          "type": "object",
          "properties": {"in_schedule": {"type": "boolean"}}
        },
        "send_one_by_one": {
          "type": "object",
          "properties": {
            "enabled": {"type": "boolean"},
            "single_account_per_wait_gap": {"type": "boolean"}
          }
        },
        "follow_ups_waiting": {
          "type": "object",
          "properties": {
            "count": {"type": "number"},
            "earliest_wait_time_seconds": {"type": ["number", "null"]}
          }
        },
        "esp_routing_status": {
          "type": "object",
          "properties": {
            "enabled": {"type": "boolean"},
            "waiting_for_match": {"type": "boolean"},
            "connected_esps": {"type": "array", "items": {"type": "number"}}
          }
        },
        "domain_limiter": {
          "type": "object",
          "properties": {
            "active": {"type": "boolean"},
            "domains_at_limit": {"type": "number"}
          }
        },
        "leads_status": {
          "type": "object",
          "properties": {
            "no_leads_ready": {"type": "boolean"},
            "account_unavailable_skips": {"type": "number"},
            "delay_not_met_skips": {"type": "number"}
          }
        }
      }
    },
    "summary": {
      "type": ["object", "null"],
      "description": "Instantly's human-readable summary; fields Instantly adds later are kept.",
      "additionalProperties": true,
      "properties": {
        "status": {"type": ["string", "null"]},
        "status_message": {"type": ["string", "null"]},
        "issue_started_at": {"type": ["string", "null"]},
        "last_healthy_send_at": {"type": ["string", "null"]},
        "ai_summary": {"type": ["string", "null"]}
      }
    },
    "analysis": {
      "type": "object",
      "description": "This server's reading of the status: severity, headline, findings from the numbers, remediation steps.",
      "required": ["kind", "id", "status", "known_status", "severity", "title", "headline", "findings", "remediation_steps"],
      "properties": {
        "kind": {"type": "string", "enum": ["campaign", "subsequence"]},
        "id": {"type": "string"},
        "status": {"type": "string", "description": "Instantly's code, unchanged; empty when Instantly has no data yet"},
        "known_status": {"type": "boolean"},
        "severity": {"type": "string", "enum": ["ok", "waiting", "action_required", "unknown"]},
        "title": {"type": "string"},
        "headline": {"type": "string"},
        "status_message": {"type": "string"},
        "findings": {"type": "array", "items": {"type": "string"}},
        "remediation_steps": {"type": "array", "items": {"type": "string"}},
        "resolves_by": {"type": "string"},
        "confirm_fields": {"type": "array", "items": {"type": "string"}},
        "last_updated": {"type": "string"},
        "data_age_seconds": {"type": "integer"},
        "issue_first_seen_at": {"type": "string"},
        "issue_age_seconds": {"type": "integer"},
        "last_healthy_send_at": {"type": "string"},
        "next_follow_up_due_seconds": {"type": "integer"},
        "ai_summary": {"type": "string"},
        "available_accounts": {"type": "integer"},
        "connected_accounts": {"type": "integer"},
        "sent_today": {"type": "integer"},
        "daily_limit": {"type": "integer"},
        "answer": {"type": "string", "description": "Cross-checks: the concrete cause and, when it clears by itself, when (in the schedule's timezone and UTC)"},
        "next_send_at": {"type": "string", "description": "Cross-checks: when it resumes by itself (RFC 3339, UTC); absent when it needs action"},
        "next_send_timezone": {"type": "string", "description": "The schedule timezone of next_send_at"},
        "causes": {"type": "array", "items": {"type": "string"}, "description": "Cross-checks: concrete causes found, most telling first"},
        "blocking_accounts": {
          "type": "array",
          "description": "Cross-checks: the sending accounts that cannot send, and why (status, SMTP error text, limits)",
          "items": {
            "type": "object",
            "required": ["email", "problem"],
            "properties": {
              "email": {"type": "string"},
              "problem": {"type": "string"},
              "detail": {"type": "string"}
            }
          }
        },
        "leads": {
          "type": "object",
          "description": "Cross-checks: the lead arithmetic of campaigns/analytics",
          "required": ["total", "not_yet_contacted", "completed", "bounced", "unsubscribed"],
          "properties": {
            "total": {"type": "integer"},
            "not_yet_contacted": {"type": "integer"},
            "completed": {"type": "integer"},
            "bounced": {"type": "integer"},
            "unsubscribed": {"type": "integer"}
          }
        },
        "subsequences": {
          "type": "array",
          "description": "Cross-checks: the campaign's subsequences and each one's own sending status",
          "items": {
            "type": "object",
            "required": ["id", "name", "status"],
            "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "status": {"type": "string"}}
          }
        },
        "cross_checks": {
          "type": "array",
          "description": "What the diagnosis consulted beside the sending status, and what it could not (with why, e.g. the scope a key lacks)",
          "items": {
            "type": "object",
            "required": ["check", "ok", "note"],
            "properties": {"check": {"type": "string"}, "ok": {"type": "boolean"}, "note": {"type": "string"}}
          }
        },
        "assumptions": {"type": "array", "items": {"type": "string"}, "description": "Readings of behaviour Instantly does not document that the answer depends on"}
      }
    }
  }
}`)
