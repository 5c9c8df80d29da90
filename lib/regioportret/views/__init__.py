"""What users see: formatted figures, tables and panels for notebooks and the dashboard."""
