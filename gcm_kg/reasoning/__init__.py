"""``gcm-kg check``: OWL 2 DL consistency of the graph with HermiT (``consistency``), the input
adapted for HermiT (``owl_input``) and where an inconsistency lies (``owl_localise``). The only
package that imports owlready2."""
