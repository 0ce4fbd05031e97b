{{/* Names and labels. The chart keeps to the template subset listed in README.md. */}}
{{- define "flowstack.fullname" -}}
{{- if eq .Release.Name .Chart.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "flowstack.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/part-of: flowstack
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* Selector of every pod of this release. */}}
{{- define "flowstack.releaseSelector" -}}
app.kubernetes.io/part-of: flowstack
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* include "flowstack.serviceSelector" (dict "root" $ "name" $name) */}}
{{- define "flowstack.serviceSelector" -}}
{{ include "flowstack.releaseSelector" .root }}
app.kubernetes.io/name: {{ .name }}
{{- end -}}

{{- define "flowstack.image" -}}
{{ printf "%s/%s:%s" .root.Values.image.repository .name (default .root.Chart.AppVersion .root.Values.image.tag) }}
{{- end -}}

{{- define "flowstack.secretName" -}}
{{ default (printf "%s-secrets" (include "flowstack.fullname" .)) .Values.secrets.existingSecret }}
{{- end -}}

{{/* The Secret key of a service's NATS password: NATS_PASSWORD_TOOL_RUNNER for tool-runner. */}}
{{- define "flowstack.natsPasswordKey" -}}
{{ printf "NATS_PASSWORD_%s" (. | upper | replace "-" "_") }}
{{- end -}}
