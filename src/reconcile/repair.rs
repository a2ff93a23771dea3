//! Text repair for variant input (being written).
